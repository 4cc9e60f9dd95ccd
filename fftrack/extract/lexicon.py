"""Trigger lexicons and word classes for event coding (ACLED's codebook, CASE 2021's
extra classes).

``TRIGGERS`` holds (pattern, sub_event_type, weight): each match of a pattern in a clause
votes for its sub-type ("TERRITORY" is resolved to government regains / non-state
overtakes / non-violent transfer by ``events.decide``). Patterns are matched
case-insensitively after a word boundary.
"""

from __future__ import annotations

import re

_AIRCRAFT = r"(?:helicopters?|planes?|jets?|aircraft|warplanes?|bombers?|gunships?)"
SHOT_DOWN = (
    rf"(?:shot|shoot|shooting) down (?:\w+ ){{0,3}}{_AIRCRAFT}\b|"
    rf"{_AIRCRAFT} (?:\w+ ){{0,2}}(?:was|were) shot down|downed (?:\w+ ){{0,3}}{_AIRCRAFT}\b"
)

# (pattern, sub_event_type, weight). Patterns are matched case-insensitively on a clause.
TRIGGERS: list[tuple[str, str, float]] = [
    # Explosions/Remote violence
    (
        r"air[- ]?strikes?|air[- ]raids?|(?:strategic|long-range|heavy) bombers?|\bjet\b|(?:coalition|u\.?s\.?|american|israeli|russian|turkish|saudi-led|drone|aerial|air) (?!(?:artillery|missile|rocket|mortar|tank|ground) )(?:\w+ )?strikes?|strikes? by|one strike|(?<!artillery )(?<!missile )(?<!rocket )(?<!mortar )strikes? (?:\w+ly )?(?:also )?(?:hit|targeted|killed|destroyed|engaged|wounded)|warplanes?|war ?jets?|jets\b|fighter jets?|aircraft|airplanes?|bomb(?:ed|ing|s)? (?:by|from) (?:the )?air|drones? strikes?|drone attacks?|(?:armed )?drones?|helicopters?|barrel bombs?|air force|aerial (?:bombardment|attacks?)|sorties|raids? (?:on|targeting|against)|carried out (?:\w+ )?(?:raids|strikes)|launched (?:\w+ )?(?:raids|strikes)|airstrikes",
        "Air/drone strike",
        3.0,
    ),
    (
        # "ISIL positions were also bombed", "jets bombed the town": bombed from the air, as
        # conflict reporting mostly means it (a car bomb or a device is told as such)
        r"(?:were|was|been|being|are|is) (?:\w+ ){0,2}bombed\b|(?<!\bcar )(?<!\bsuicide )bombed (?:the |a |an )?(?:\w+ )?(?:positions?|areas?|towns?|villages?|city|neighbou?rhoods?|districts?|bases?|convoys?|hospitals?|schools?|markets?|headquarters)\b",
        "Air/drone strike",
        2.5,
    ),
    (
        r"shell(?:s|ed|ing)?|artillery(?! fire[- ]control)|mortars?|rockets?|missiles?|howitzers?|projectiles?|bombard(?:ed|ment|ing|s)?|katyusha|grad|tank (?:fire|shells?)|cannon|atgms?|mlrs|guided missiles?|anti-tank|targeted (?:\w+ ){0,4}positions?|fired (?:\w+ ){0,2}(?:on|upon|at) (?:\w+ ){0,4}positions?|targeted .{0,40}with (?:heavy )?(?:artillery|rocket)|ballistic",
        "Shelling/artillery/missile attack",
        2.5,
    ),
    (
        r"\bied\b|ieds|improvised explosive|explosive devices?|roadside bombs?|land ?mines?|\bmines?\b|car bombs?|vbied|booby[- ]trap(?:ped)?|sticky bombs?|bomb (?:went off|exploded)|explosions?|exploded|blast|detonat(?:ed|ion)|planted (?:a )?bombs?|motorcycle bomb|unexploded|explosive charges?|went off|explosives|bombs?\b|bombings?\b|bombers?\b|blew up|blown up",
        "Remote explosive/landmine/IED",
        2.6,
    ),
    (
        r"suicide (?:(?:truck|car|lorry|vehicle|motorcycle)[- ]?)?(?:bomb(?:er|ing|s)?|attack(?:er)?s?|vest|belt|car)|blew (?:himself|herself|themselves) up|self-detonat",
        "Suicide bomb",
        4.5,
    ),
    (r"grenades?|\brpg\b", "Grenade", 4.6),
    (
        r"chemical (?:weapons?|attack|agents?)|chlorine|sarin|mustard gas|nerve agent|toxic gas|poison(?:ous)? gas|gas attack",
        "Chemical weapon",
        4.5,
    ),
    # Battles
    # a manned aircraft brought down: fighting in ACLED's notes of 2018, disrupted weapons
    # use in a report coded by today's codebook (``report_rules.in_a_report`` keeps one of the
    # two); a drone or a missile brought down is disrupted weapons use in both
    (SHOT_DOWN, "Armed clash", 4.0),
    (SHOT_DOWN, "Disrupted weapons use", 4.0),
    (
        r"clash(?:ed|es|ing)?|fighting|fought|fight\b|battles?|incursions?|(?:ground|military|land) invasion|firefights?|gunfights?|skirmish(?:es)?|exchange(?:d)? (?:of )?fire|engag(?:ed|ing|ement)|repel(?:led)?|repulsed?|counter[- ]?attack|offensive(?!\s+(?:forces?|troops|units?|weapons?|capabilit(?:y|ies)|operations?|posture|language|remarks?|comments?)\b)|ambush(?:ed)?|infiltrat(?:e|ed|ion)|attempt(?:ed)? to (?:advance|storm|infiltrate)|advance(?:d)? (?:on|towards)|stormed|storm(?:s|ing)? (?:the|a|an|into)\b|pushed (?:\w+ ){0,2}into|encircl(?:ed|ing|ement)|(?<!the )surround(?:ed|ing) (?:the (?:city|town|village|area|base|airport|district)|(?-i:[A-Z]))|advanc(?:ed|ing|es) (?:\w+ ){0,2}(?:in|into|on|towards?|against|inside|within)\b|made (?:\w+ ){0,3}advances\b|launched (?:an? |another |their |its )?(?:\w+ ){0,2}(?:attack|assault|offensive|counter-?attack|counter-?offensive)s?|besieg(?:e|ed|ing)|siege|sniper|snipers|sniped|heavy fire|intense fighting|confrontations?|assault(?:ed)?|machine ?guns?|small arms|gunfire|exchanged targeting|heavy weapons",
        "Armed clash",
        2.0,
    ),
    (
        r"recaptur(?:e|es|ed|ing)|(?<!were )(?<!was )(?<!been )(?<!being )captur(?:e|es|ed|ing)\b(?! (?:\w+ ){0,2}(?:suspects?|members?|militants?|fighters?|people|men|him|them|soldiers?|civilians?|persons?|individuals?|officers?|commanders?|leaders?|supporters?|jihadists?|rebels?|insurgents?|gunmen|prisoners?|hostages?|women|children|a |an ))|re-?took|retak(?:e|en|ing)|regain(?:ed)?|liberat(?:e|ed|ing)|took (?:full )?control|taken (?:full )?control|tak(?:e|ing) (?:full )?control|seiz(?:e|ed|ing) (?:control|the village|the town|the city|the area|positions|several)|gain(?:ed)? control|overr(?:an|un)|advanced (?:into|to)|(?:expelled|drove|driven|pushed) (?:\w+ ){0,4}out\b|recaptur|wrested|cleared .{0,30}(?:of|from) (?:is|isis|militants)|under (?:their|its|the) control|(?:establish(?:ed)?|gain(?:ed)?|took|assumed|imposed|extended) (?:full |complete )?control|(?<!-)controlled(?! by)|advanced to (?:control|establish)|announced the capture|raised (?:their|its|the) (?:\w+ )?flags? over|(?:managed|able|moved) to control|captur(?:ed|es) (?:the |a |an )?(?:\w+ ){0,3}(?:town|village|city|cities|district|area|hill|camps?|base|region|territory|airport|border (?:point|crossing)|neighbou?rhood|roundabout|junction|crossroads|intersection|road|highway|bridge|dam|checkpoint|outpost|position|stronghold|hilltop|mountain|airbase|air base|barracks|oil ?field|hamlet)s?\b|freed (?:\w+ ){0,3}(?:areas?|villages?|towns?|regions?|districts?)|recovered (?:\w+ ){0,3}(?:regions?|areas?|territory)|drove (?:\w+ ){0,3}back|pushed back|by controlling|(?:have|has) taken (?!to\b)(?!(?:a |an |the )?(?:\w+ ){0,2}(?:steps?|part|place|measures?|actions?|responsibility|note|care|advantage|refuge|shelter|time|years?|months?|days?|hold|root|shape|effect)\b)|(?:were|was) (?:also )?taken(?!\s+(?:to|into|away|hostage|prisoners?|captive|in|out|off|from|over|up|aback|ill|part|place|care|seriously|as)\b)|lost control of|los(?:e|t|ing) (?:the )?(?:\w+ ){0,2}(?:town|city|village|district|base|airport|enclave)s?\b|took (?:the |a )?(?:\w+ ){0,2}(?:town|city|village|district|neighbou?rhood|base|airport|hill|enclave)s?\b|fell (?:in)?to (?:the )?(?:hands of|control of|militants|rebels|insurgents|jihadists|islamic state|is\b|isis|isil|daesh|government|army|regime|forces|troops|kurdish|sdf|ypg)",
        "TERRITORY",
        5.0,
    ),
    (
        r"cleared (?:out )?(?:the )?(?:\w+ ){0,3}(?:of|from)?|secured (?:\w+ ){0,5}(?:city|town|village|district|area|neighbou?rhoods?|parts?|control)|seiz(?:e|ed|ing) (?:\w+ ){0,3}(?:villages?|towns?|areas?|positions?|hills?|neighbou?rhoods?|districts?|sites?|points?|bases?)|(?<!re-)entered (?:the )?(?:city|town|village|district|neighbou?rhood|(?-i:[A-Z]))|(?:the )?fall of|(?:villages?|towns?|hamlets?|cit(?:y|ies)|areas?|positions?|hills?|bases?|neighbou?rhoods?|districts?|sites?|airports?|regions?) (?:\w+ ){0,4}(?:were|was|have been|has been|had been) (?:\w+ )?(?:captured|seized|recaptured|retaken|liberated|overrun)",
        "TERRITORY",
        3.0,
    ),
    # Violence against civilians
    (
        r"kill(?:ed|ing|s)?|(?:shot|shoots?) (?:dead|and killed)|gunned down|murder(?:ed)?|execut(?:ed|ion|ions)|behead(?:ed|ing)|assassinat(?:ed|ion)|stabb(?:ed|ing)|massacre|opened fire on|shot at|attack(?:ed|s|ing)?|tortur(?:ed|e)|beaten|beat\b|vehicle attack|van attack|ramm(?:ed|ing)|(?:drove|drives|driven|ploughed|plowed|ploughs|plows|crashed|crashes|ran|runs|smashed|smashes|rams) (?:\w+ ){0,2}into (?:a |the )?(?:\w+ ){0,3}(?:crowds?|pedestrians|people|market|shoppers|revell?ers|worshippers)|mowed (?:down|through)|shot|shooting",
        "Attack",
        1.0,
    ),
    (
        # bodies found: the killing that left them ("discovered the bodies of 70 civilians"; a
        # mass grave is, as ACLED codes it, another matter)
        r"(?:found|discovered|recovered|unearthed|exhumed|retrieved) (?:the )?(?:[\w,]+ ){0,3}bodies\b|"
        # "the bodies of 46 civilians, including 15 women, were discovered"
        r"bodies (?:of (?:\w+ ){0,3}\w+(?:, (?:including|among them|mostly) [^,.;]{1,40},)? )?"
        r"(?:were|have been|had been) (?:found|discovered|recovered|"
        r"unearthed|exhumed|retrieved)",
        "Attack",
        2.0,
    ),
    (
        r"kidnapp?(?:ed|ing)?|abduct(?:ed|ion|s)?|disappear(?:ed|ance)|taken hostage|hostages?",
        "Abduction/forced disappearance",
        3.0,
    ),
    (
        r"rap(?:e|ed|es|ing)\b|sexual(?:ly)? (?:violence|assault(?:ed)?|abuse)",
        "Sexual violence",
        6.0,
    ),
    # Protests / riots
    (
        r"protest(?:s|ed|ing|ers?)?|demonstrat(?:ed|ion|ions|ors?)|rall(?:y|ied|ies)|sit-?in|(?-i:march(?:ed)?|Marched)\b|gather(?:ed)? (?:to|in front)|took to the streets|(?:general|labou?r|hunger|teachers'?|workers'?) strikes?|went on strike|on strike|vigil",
        "Peaceful protest",
        3.0,
    ),
    (
        r"dispers(?:e|ed)|tear ?gas|arrested (?:\w+ ){0,3}protesters|broke up|water cannon",
        "Protest with intervention",
        1.5,
    ),
    (
        r"fired (?:on|at|live ammunition at) (?:the )?(?:protesters|demonstrators)|killed (?:\w+ ){0,2}(?:protesters|demonstrators)|live (?:ammunition|fire)",
        "Excessive force against protesters",
        2.0,
    ),
    (
        r"riot(?:s|ed|ing|ers?)?|(?:threw|hurled|throwing|hurling) (?:stones|rocks)|settlers|stone[- ]throw(?:ing|ers)|hurled stones|burn(?:ed|ing|t) tires|torched|molotov|clashed with (?:police|security forces)|vandali[sz]ed",
        "Violent demonstration",
        2.5,
    ),
    (
        r"\bmobs?\b|lynch(?:ed|ing)?|vigilantes?|angry (?:crowd|residents|villagers)|(?:villagers|residents|crowds?|locals|communities|groups? of (?:villagers|residents)) (?:\w+ )?(?:attacked|beat|stormed|set fire|torched|clashed)|(?:bamboo )?sticks|iron rods|machetes|communal (?:violence|clashes)|sectarian clashes|beaten to death by",
        "Mob violence",
        5.0,
    ),
    # Strategic developments
    (
        r"agree(?:d|ment)?|ceasefire|cease-fire|truce|deal\b|reconciliation|negotiat(?:ed|ions)|signed|accord\b|de-?escalation|peace (?:talks|deal|process|accord)|(?:exchang(?:ed|e)|swap(?:ped)?) (?:of )?(?:\w+ )?(?:prisoners|detainees|bodies|dead)|prisoner (?:exchange|swap)|in exchange for|surrender(?:ed)? to",
        "Agreement",
        3.3,
    ),
    (
        r"arrest(?:ed|s)?|detain(?:ed|s)?|detention|round(?:ed)? up|raid(?:ed)? (?:a )?(?:house|home)s?|apprehended|captured (?:\w+ ){0,3}(?:suspects?|members|militants|fighters|people|men)|(?:were|was|been|being) captured|taken into custody",
        "Arrests",
        2.8,
    ),
    (
        r"defus(?:ed|e|ing)|dismantl(?:ed|e|ing)|intercept(?:ed|s)?|(?:shot|shooting) down (?!(?:\w+ ){0,3}(?:helicopters?|planes?|jets?|aircraft|warplanes?|bombers?|gunships?)\b)|downed (?!(?:\w+ ){0,3}(?:helicopters?|planes?|jets?|aircraft|warplanes?|bombers?|gunships?)\b)|foil(?:ed)?|thwart(?:ed)?|seized (?:\w+ ){0,3}(?:weapons|arms|ammunition|explosives)|weapons cache|found (?:\w+ ){0,3}(?:explosives|ieds|weapons)|cleared (?:\w+ ){0,2}mines|demining|disarmed|detonated by (?:security|engineering)",
        "Disrupted weapons use",
        3.4,
    ),
    (
        r"(?:establish(?:ed|ing)?|set(?:ting)? up|buil[dt]|opened|created|erected) (?:\w+ ){0,5}(?:bases?|headquarters|outposts?|checkpoints?|observation (?:posts?|points?)|military (?:posts?|points?)|posts?|barracks|camps?|(?:command|control|operations?) (?:centres?|centers?|rooms?))\b",
        "Headquarters or base established",
        4.0,
    ),
    (
        r"loot(?:ed|ing|ers)?|burn(?:ed|t|ing)? (?:of )?(?:\w+ ){0,3}(?:houses?|homes?|shops?|propert(?:y|ies)|crops|cars|vehicles|warehouses?)|(?:shops?|houses?|homes?|cars|vehicles) (?:were |have been |was )?(?:burned|burnt|torched|looted)|(?:shops?|houses?|homes?|propert(?:y|ies)|farms?|livestock|crops) (?:[\w'-]+ ){0,12}?(?:were|was|have been|had been) (?:\w+ )?(?:stolen|looted|plundered|pillaged|confiscated|burned|burnt|torched)|torch(?:ed|ing)|demolish(?:ed)?|bulldoz(?:ed|ing)|destroy(?:ed)? (?:\w+ ){0,3}(?:houses?|homes?|property)|destruction of|set (?:\w+ ){0,3}on fire|confiscat(?:ed|ion)|pillag|vandal(?:ism|i[sz]ed)|break into|broke (?:into|the)",
        "Looting/property destruction",
        3.6,
    ),
    (
        r"withdr(?:ew|awn|awal)|handed over|hand over|handover|evacuat(?:ed|ion)|pulled out|entered (?:\w+ ){0,4}(?:town|village|city|area|neighbou?rhood|district)|moved in|without (?:a )?(?:fight|resistance|clashes)|(?:not|no) (?:encounter\w* )?(?:any )?resistance|peacefully|transferr?(?:ed)? control|surrender(?:ed)?",
        "Non-violent transfer of territory",
        3.2,
    ),
    (
        r"non-violent activity|(?:swore|sworn|swears|swearing|pledged|pledges|pledging|declared|renewed) (?:\w+ ){0,2}(?:allegiance|loyalty|bay'?ah)|defect(?:ed|ion)|merged|dissolved|announced (?:the )?formation|formed a new|recruit(?:ed|ment)|reinforcements|military build-?up|sent reinforcements|training camp|graduation",
        "Change to group/activity",
        2.2,
    ),
    (
        r"deploy(?:ed|s|ing)? (?:\w+ ){0,3}(?:troops|forces|units|soldiers)|dispatched|reinforc(?:ed|ing)|fortif(?:y|ied|ying)|mobiliz(?:ing|ed) (?:its |their )?(?:members|fighters|forces)|stationed|military (?:drills|exercises?)|drills\b|pull(?:ed|s)? back|(?:were|was) formed|massing|amass(?:ed|ing)",
        "Change to group/activity",
        2.6,
    ),
    (
        r"(?:have |had )?fled (?:from |their )?(?:\w+ ){0,3}(?:homes?|villages?|towns?|city|areas?|country)|displaced|displacement|humanitarian (?:aid|assistance|corridor)|mass graves?|refugees? (?:camps?|flows?)|return(?:ed)? to (?:their )?(?:homes?|villages?)",
        "Other",
        2.4,
    ),
    (
        r"forwarded|sent (?:\w+ ){0,3}(?:fighters|troops|reinforcements)|arrived in|mobiliz(?:ed|ing)|launched (?:a |an )?(?:new )?(?:campaign|operation|military operation)|(?:new|first) batch of",
        "Change to group/activity",
        2.2,
    ),
    # not ACLED types: CASE 2021's extra classes, kept apart under event_type "Other"
    (
        r"claim(?:ed|s|ing)? responsibility|(?:took|takes|take|claimed) credit|denied (?:\w+ ){0,4}responsib|responsibility for|blam(?:ed|es|ing)|attributed (?:the \w+ )?to|held (?:\w+ )?responsible|(?:was|were|is|are) responsible for|accusations?|allegations?|accus(?:ed|es|ing) (?:\w+ ){0,3}of",
        "Attribution",
        5.0,
    ),
    (
        r"diplomats?|embass(?:y|ies)|ambassadors?|consulate|sanctions?|sever(?:ed|s)? ties|diplomatic|foreign minist(?:er|ry)|summit|bilateral|talks with|state visit|condemn(?:ed|s)|retaliatory (?:measures|move)|expel(?:led|s)? (?:\w+ ){0,3}(?:diplomats?|ambassadors?|envoys?|embassy|staff)|expulsion of",
        "Diplomatic event",
        3.2,
    ),
    (
        r"earthquakes?|quake|floods?\b|flooding|flooded|flash floods?\b|landslides?|mudslides?|cyclones?|hurricanes?|typhoons?|tornado(?:es)?(?!\s+(?:GR\d|jets?|aircraft|fighters?|patrols?|bombers?|squadrons?)\b)|volcan(?:o|ic|oes)|eruptions?|tsunami|drought|heavy rains?|torrential|(?<!to )storms?(?!ed)(?!\s+(?:the|a|an|into|through|its|their|of|positions?)\b)|blizzard|avalanche|heat ?wave|wildfires?|bushfires?|forest fires?|covid(?:-19)?|coronavirus|pandemic|epidemic|outbreak|cholera|ebola|infections?|infected",
        "Natural disaster",
        6.0,
    ),
    (
        r"fire broke out|caught fire|blaze|gas leak|chemical (?:spill|leak|hazard)|oil (?:spill|leak)|leak(?:ed|s)?|collaps(?:e|ed|es)|derail(?:ed|ment)|(?:plane|train|bus|boat|ferry|helicopter|car|road) (?:crash|accident)|crash(?:ed|es)?|accident(?:al|s)?|capsiz(?:ed|es)|sank|poison(?:ing|ed)|toxins?|factory|plant explosion|(?:tank|boiler|pipeline|cylinder|containers?) (?:\w+ )?explod|short circuit|stampede|(?:power|chemical|gas|nuclear|pesticide|petrochemical) plant|ammonium nitrate|leakage|inhal\w+|tanker|collision|struck by a (?:\w+ )?(?:carrier|ship|vessel)|gas (?:cylinder|explosion)|propane|boiler",
        "Man-made disaster",
        4.0,
    ),
    (
        r"robb(?:ed|ery|eries|ers?)|theft|thie(?:f|ves)|stole\b|drugs?|narcotics?|cocaine|heroin|methamphetamine|cannabis|marijuana|traffick(?:ing|ers?|ed)|smuggl(?:e|ed|ing|ers?)|counterfeit|fake currency|fraud|gangs?|cartels?|mafia|money laundering|extortion|steroids?|pornography|burglar(?:y|ies)|break and enter|contraband|bribery|illegal (?:migrants|immigrants|crossing)|human trafficking|poach(?:ing|ers)",
        "Organized crime",
        4.6,
    ),
    (
        r"(?:weapons|arms|ammunition|firearms|explosives?|guns|rifles|rounds|ieds?|explosive devices?|bombs?|grenades|mines|rockets) (?:\w+ ){0,4}(?:were|was|has been|have been|had been) (?:\w+ )?(?:seized|found|discovered|recovered|confiscated|destroyed|defused|dismantled)|(?:seized|found|discovered|recovered|confiscated|unearthed) (?:\w+ ){0,6}(?:weapons|arms|ammunition|firearms|explosives?|rifles|rounds|ieds|explosive devices|cache)|(?:arms|weapons|ammunition) (?:cache|depot|stash)|suspicious packages?|caches? of",
        "Disrupted weapons use",
        5.5,
    ),
]

GENERIC_KILL = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|dead|died|death|casualt|wound(?:ed|ing)|injur(?:ed|ies|ing)|fatalit)",
    re.I,
)
CIVILIAN_WORDS = re.compile(
    r"\b(?:civilians?|residents?|villagers?|worshi(?:p)?pers|farmers?|shepherds?|child(?:ren)?|wom[ae]n|"
    r"girls?|boys?|famil(?:y|ies)|teachers?|doctors?|journalists?|students?|passers-by|elderly|"
    r"people|man\b|men\b|individuals?|citizens?|pilgrims|mosque|school|hospital|market|communit(?:y|ies)|"
    r"displaced|refugees?|teenagers?|concert|an? (?:local|young))\b",
    re.I,
)
# people out of the fight: killing them is violence against civilians in ACLED's codebook,
# whoever they fought for ("50 captured soldiers were summarily executed")
HORS_DE_COMBAT = re.compile(
    r"\b(?:execut(?:ed|ing|ion|ions)|summar(?:y|ily)|behead\w*|prisoners?|captives?|detainees?|"
    r"hostages?|(?:had )?(?:been )?captured (?:\w+ )?(?:soldiers|fighters|troops|men)|"
    # "officers they had been holding", "men it had abducted": people in its hands
    r"(?:they|it|he|she|who) (?:had |have )?(?:been )?(?:holding|held|detained|abducted|"
    r"kidnapped|captured|seized))\b",
    re.I,
)
ARMED_WORDS = re.compile(
    r"\b(?:(?i:forces|fighters?|militants?|troops|soldiers?|army|military|militi(?:a|amen|as)|rebels?|"
    r"police(?:men)?|officers?|members of|gunmen|jihadis(?:ts)?|insurgents?|positions?|"
    r"checkpoints?|personnel|commanders?|guards?|units?|brigades?|battalion|militiam[ae]n|"
    r"snipers?|pilot|base|outpost)|ISIS|IS|ISIL|SDF|YPG|HTS|PKK|QSD|PMF|AQAP)\b"
)
HOME_GOV = {
    "Syrian Arab Army", "Syrian Arab Air Force", "Syrian and/or Russian forces",
    "Iraqi Security Forces", "Popular Mobilization Forces", "Iraqi police", "Peshmerga",
    "Military Forces of Yemen", "Security Belt Forces", "Hadhrami Elite Forces",
    "Iranian police", "Islamic Revolutionary Guard Corps",
    "Houthis",  # ACLED codes the Houthi-led Supreme Political Council as Yemen's military
}  # fmt: skip
GOV_NAME = re.compile(
    r"\b(?:regime|government|army|pro-?\s?hadi|anti-?\s?houthi|national army|iraqi|syrian|"
    r"security forces|military|troops|troopers|soldiers|police)\b",
    re.I,
)


# ACLED notes often open with the coder's label for a strategic development
NOTE_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\W*(?:defusal|weapons? seizure|explosives|detonation|disrupted weapons? use|"
                r"weapons? cache|mine clearance|demining)\s*:", re.I), "Disrupted weapons use"),
    (re.compile(r"^\W*(?:movement of forces|security measures?|non-violent (?:activity|actvitiy)|"
                r"change to group|headquarters|military build-?up)\s*:", re.I), "Change to group/activity"),
    (re.compile(r"^\W*(?:property destruction|looting)\s*:", re.I), "Looting/property destruction"),
    (re.compile(r"^\W*(?:agreement|ceasefire|peace agreement)\s*:", re.I), "Agreement"),
    (re.compile(r"^\W*(?:arrests?|detention)\s*:", re.I), "Arrests"),
    (re.compile(r"^\W*(?:non-violent transfer of territory)\s*:", re.I), "Non-violent transfer of territory"),
]  # fmt: skip
PROTEST_CONTEXT = re.compile(
    r"\b(?:demonstrat(?:ors?|ions?)|protest(?:ers?|s)?|rioters?|youths?|stones?|rocks|tear ?gas|teargas|rubber|"
    r"palestinians?|young m[ae]n|students|funeral|suffocat\w*|"
    r"riots?|settlers|dervishes|gathering|sit-?in)\b",
    re.I,
)


PROTEST_WORDS = re.compile(
    r"\b(?:protest(?:s|ed|ing|ers?|ors?)?|demonstrat(?:ed|ions?|ors?|ing)|rall(?:y|ied|ies)|"
    r"sit-?ins?|marche[sd]|marchers|strikers?|activists)\b",
    re.I,
)
FORCE_ON_PROTEST = re.compile(
    r"live (?:bullets|rounds|ammunition|fire)|opened fire|fired (?:on|at|into)|shot (?:dead|at)|"
    r"(?:killing|killed|shooting) (?:\w+ ){0,3}(?:protesters?|demonstrators?)|(?:protesters?|demonstrators?) "
    r"(?:\w+ ){0,3}(?:were |was )?(?:killed|died|shot)|rubber bullets|brutal(?:ly)?|excessive force|"
    r"beat(?:en|ing)? |batons?|hits? (?:a |the )?(?:\w+ )?(?:demonstrator|protester)|violently (?:suppressed|dispersed)",
    re.I,
)
INTERVENTION = re.compile(
    r"dispers(?:e|ed|ing)|tear ?gas|pepper[- ]?spray(?:ed)?|pepper|water cannons?|"
    r"(?:detain(?:ed|ing)?|arrest(?:ed|ing)?) (?:\w+ ){0,3}(?:protesters|demonstrators|activists|people|participants)|"
    r"(?:protesters|demonstrators|activists|participants) (?:\w+ ){0,3}(?:were |was |have been )?(?:detained|arrested)|"
    r"suppress(?:ed)?|broke up|break up|prevented|cordon(?:ed)?|"
    r"smoke grenades|nonlethal|non-lethal|clash(?:ed|es)? with (?:police|officers|security)",
    re.I,
)
PROTESTER_VIOLENCE = re.compile(
    r"riot(?:s|ed|ing|ers?)?|(?:threw|hurled|throwing|hurling|pelted) (?:\w+ )?(?:stones|rocks|bottles|petrol bombs)|"
    r"torch(?:ed|ing)|set (?:\w+ ){0,3}(?:on )?fire|burn(?:ed|ing|t) (?:tires|tyres|cars|vehicles|buildings)|"
    r"vandali[sz](?:ed|ing)|molotov|stormed|looted|smash(?:ed|ing)|attacked (?:police|officers|security)|"
    r"violent (?:protest|demonstration)s?|turned violent|violence|clash(?:ed|es|ing)|bottles|aggressive|"
    r"escalat\w*|armed with|removed the fences|debris|shut down roads|blocked roads|unrest|"
    r"projectiles|thrown at|broke into|pelted",
    re.I,
)
PROTEST_SUBS = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
