"""World regions, for grouping the press of countries that are not party to a story into a few sides.

The grouping follows common news-desk usage rather than any one official scheme; the Caucasus and Eastern Europe
are in Europe, Turkey and Iran in the Middle East, Central Asia in Asia.
"""

from __future__ import annotations

_REGIONS = {
    "Europe": (
        "Albania, Andorra, Armenia, Austria, Azerbaijan, Belarus, Belgium, Bosnia and Herzegovina, Bulgaria, "
        "Croatia, Cyprus, Czech Republic, Denmark, Estonia, Finland, France, Georgia, Germany, Greece, Hungary, "
        "Iceland, Ireland, Italy, Kosovo, Latvia, Liechtenstein, Lithuania, Luxembourg, Malta, Moldova, Monaco, "
        "Montenegro, Netherlands, North Macedonia, Norway, Poland, Portugal, Romania, Russia, San Marino, Serbia, "
        "Slovakia, Slovenia, Spain, Sweden, Switzerland, Ukraine, United Kingdom, Vatican"
    ),
    "North America": "Canada, United States",
    "Latin America": (
        "Antigua and Barbuda, Argentina, Bahamas, Barbados, Belize, Bolivia, Brazil, Chile, Colombia, Costa Rica, "
        "Cuba, Dominican Republic, Ecuador, El Salvador, Guatemala, Guyana, Haiti, Honduras, Jamaica, Mexico, "
        "Nicaragua, Panama, Paraguay, Peru, Suriname, Trinidad and Tobago, Uruguay, Venezuela"
    ),
    "Middle East and North Africa": (
        "Algeria, Bahrain, Egypt, Iran, Iraq, Israel, Jordan, Kuwait, Lebanon, Libya, Mauritania, Morocco, Oman, "
        "Palestine, Qatar, Saudi Arabia, Syria, Tunisia, Turkey, United Arab Emirates, Yemen"
    ),
    "Sub-Saharan Africa": (
        "Angola, Benin, Botswana, Burkina Faso, Burundi, Cameroon, Cape Verde, Central African Republic, Chad, "
        "Comoros, Democratic Republic of the Congo, Djibouti, Equatorial Guinea, Eritrea, Eswatini, Ethiopia, Gabon, "
        "Gambia, Ghana, Guinea, Guinea-Bissau, Ivory Coast, Kenya, Lesotho, Liberia, Madagascar, Malawi, Mali, "
        "Mauritius, Mozambique, Namibia, Niger, Nigeria, Republic of the Congo, Rwanda, Senegal, Sierra Leone, "
        "Somalia, Somaliland, South Africa, South Sudan, Sudan, Tanzania, Togo, Uganda, Zambia, Zimbabwe"
    ),
    "Asia and Pacific": (
        "Afghanistan, Australia, Bangladesh, Bhutan, Brunei, Cambodia, China, Fiji, Hong Kong, India, Indonesia, "
        "Japan, Kazakhstan, Kyrgyzstan, Laos, Malaysia, Maldives, Mongolia, Myanmar, Nepal, New Zealand, "
        "North Korea, Pakistan, Papua New Guinea, Philippines, Singapore, South Korea, Sri Lanka, Taiwan, "
        "Tajikistan, Thailand, Timor-Leste, Turkmenistan, Uzbekistan, Vietnam"
    ),
}

REGION_OF: dict[str, str] = {
    country.strip(): region for region, countries in _REGIONS.items() for country in countries.split(",")
}

# How the press of a region is named as a side.
PRESS_OF = {
    "Europe": "European press",
    "North America": "North American press",
    "Latin America": "Latin American press",
    "Middle East and North Africa": "Middle Eastern and North African press",
    "Sub-Saharan Africa": "African press",
    "Asia and Pacific": "Asian and Pacific press",
}
REGIONS = tuple(_REGIONS)
