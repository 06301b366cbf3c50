from parallax.cli import run

run()
