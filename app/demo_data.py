"""The demo marketplace's organisations and what they offer, written for young people in English, Welsh or both.
Deterministic. Hand-written offers beyond these templates are in app/demo_extra.py."""

from __future__ import annotations

from typing import Any

from app.demo_extra import EXTRA, Text
from app.organisations.tables import OrganisationKind as K

# (name, kind, GSS code of the area it is based in, sector for employers)
ORGANISATIONS: list[tuple[str, K, str, str]] = [
    ("Cardiff Bay Builders", K.employer, "W06000015", "construction"),
    ("Severn Water Services", K.employer, "E10000013", "engineering"),
    ("Bristol Digital Co-op", K.employer, "E06000023", "digital"),
    ("Dragon Rail Engineering", K.employer, "W06000011", "engineering"),
    ("Menai Marine Energy", K.employer, "W06000001", "energy"),
    ("Wrexham Print & Pack", K.employer, "W06000006", "manufacturing"),
    ("Tawe Care Homes", K.employer, "W06000011", "care"),
    ("Gwent Motor Group", K.employer, "W06000022", "motor"),
    ("Pennine Foods", K.employer, "E08000032", "food"),
    ("Mersey Ferries Hospitality", K.employer, "E08000012", "hospitality"),
    ("Tyne Software House", K.employer, "E08000021", "digital"),
    ("Black Country Metalworks", K.employer, "E08000027", "manufacturing"),
    ("Kent Coast Builders", K.employer, "E10000016", "construction"),
    ("Leeds Community Bank", K.employer, "E08000035", "finance"),
    ("Norfolk Growers", K.employer, "E10000020", "food"),
    ("Thames Valley Health Labs", K.employer, "E06000038", "health"),
    ("Sheffield Steel Fabrication", K.employer, "E08000019", "manufacturing"),
    ("Devon Green Energy", K.employer, "E10000008", "energy"),
    ("London Bus Engineering", K.employer, "E09000033", "engineering"),
    ("Taf Valley Health Board", K.health, "W06000016", "health"),
    ("Siswrn Hair Academy", K.employer, "W06000015", "hair"),
    ("Gwesty'r Harbwr", K.employer, "W06000008", "hospitality"),
    ("Tedi Bach Nurseries", K.employer, "W06000022", "childcare"),
    ("Valleys Stores", K.employer, "W06000024", "retail"),
    ("Theatr y Gogledd", K.cultural, "W06000002", ""),
    ("Manchester Film House", K.cultural, "E08000003", ""),
    ("Amgueddfa'r Cymoedd", K.cultural, "W06000016", ""),
    ("Birmingham Music Hall", K.cultural, "E08000025", ""),
    ("Newcastle Art Works", K.cultural, "E08000021", ""),
    ("Brighton Seafront Galleries", K.cultural, "E06000043", ""),
    ("Carmarthen Arts Centre", K.cultural, "W06000010", ""),
    ("Valleys Leisure Trust", K.leisure, "W06000016", ""),
    ("Swansea Bay Sport", K.leisure, "W06000011", ""),
    ("Powys Outdoor Centres", K.leisure, "W06000023", ""),
    ("Nottingham Leisure Partnership", K.leisure, "E06000018", ""),
    ("Lakes Adventure Trust", K.leisure, "E06000064", ""),
    ("Cornwall Surf School", K.leisure, "E06000052", ""),
    ("Next Chapter Mentors", K.third_sector, "W06000011", ""),
    ("Drws Agored Youth Trust", K.third_sector, "W06000015", ""),
    ("Liverpool Care Leavers Network", K.third_sector, "E08000012", ""),
    ("First Step Mentoring", K.third_sector, "E09000028", ""),
    ("Bradford Youth Kitchen", K.third_sector, "E08000032", ""),
    ("Cyngor Gwynedd Apprenticeships", K.council, "W06000002", ""),
    ("Rhondda Cynon Taf Council", K.council, "W06000016", ""),
    ("Hampshire County Council", K.council, "E10000014", ""),
    ("Principality Giving Fund", K.sponsor, "W06000015", ""),
    ("North West Futures Trust", K.sponsor, "E08000003", ""),
    # Signatories from the other public sectors; they post nothing yet (the search data and its judgements stay as
    # they were), but sign, pledge, plan and report like everyone else.
    ("Coleg y Cymoedd Uchaf", K.education, "W06000016", ""),
    ("Cartrefi Glannau Housing", K.housing, "W06000015", ""),
    ("Next Step Employment Service", K.employment, "W06000011", ""),
    ("Mid Valleys Fire and Rescue", K.emergency, "W06000016", ""),
    ("Cymoedd Buses", K.transport, "W06000024", ""),
    ("Welsh Government", K.oversight, "W06000015", ""),  # receives the Welsh corporate parents' reports
]

# Who writes in which language: Welsh first (with English too), English only, or (every other organisation in
# Wales) English first with Welsh too. Organisations in England write in English only.
WELSH_FIRST = {"Cyngor Gwynedd Apprenticeships", "Theatr y Gogledd", "Amgueddfa'r Cymoedd", "Drws Agored Youth Trust"}
ENGLISH_ONLY = {"Gwent Motor Group", "Wrexham Print & Pack"}

# Each role in English and in Welsh (as it reads after a colon: "Prentisiaeth: gwaith coed").
ROLES: dict[str, list[tuple[str, str]]] = {
    "construction": [("Carpentry", "gwaith coed"), ("Electrical installation", "gosod trydan"),
                     ("Bricklaying", "gosod brics"), ("Site surveying", "tirfesur safle"), ("Plumbing", "plymio")],
    "engineering": [("Mechanical engineering", "peirianneg fecanyddol"),
                    ("Maintenance engineering", "peirianneg cynnal a chadw"), ("Civil engineering", "peirianneg sifil"),
                    ("Electrical engineering", "peirianneg drydanol")],
    "digital": [("Software development", "datblygu meddalwedd"), ("Web design", "dylunio gwefannau"),
                ("IT support", "cymorth TG"), ("Data analysis", "dadansoddi data"),
                ("Cyber security", "seiberddiogelwch")],
    "energy": [("Wind turbine technician", "technegydd tyrbinau gwynt"), ("Solar installation", "gosod paneli solar"),
               ("Energy assessor", "aseswr ynni"), ("Marine engineering", "peirianneg forol")],
    "manufacturing": [("Machine operator", "gweithredwr peiriannau"), ("Welding and fabrication", "weldio a saernïo"),
                      ("Quality control", "rheoli ansawdd"), ("Warehouse logistics", "logisteg warws")],
    "care": [("Care assistant", "cynorthwyydd gofal"), ("Activities coordinator", "cydlynydd gweithgareddau"),
             ("Kitchen assistant", "cynorthwyydd cegin"), ("Health and social care", "iechyd a gofal cymdeithasol")],
    "motor": [("Vehicle technician", "technegydd cerbydau"), ("Bodywork and paint", "gwaith corff a phaent"),
              ("Parts and service advisor", "cynghorydd rhannau a gwasanaeth"),
              ("Electric vehicle technician", "technegydd cerbydau trydan")],
    "food": [("Food production", "cynhyrchu bwyd"), ("Farm and horticulture", "ffermio a garddwriaeth"),
             ("Quality assurance", "sicrhau ansawdd"), ("Bakery", "pobydd")],
    "hospitality": [("Chef", "cogydd"), ("Front of house", "blaen tŷ"), ("Events and catering", "digwyddiadau ac arlwyo"),
                    ("Hotel reception", "derbynfa gwesty")],
    "finance": [("Customer service", "gwasanaeth cwsmeriaid"), ("Accounts", "cyfrifon"),
                ("Financial advice", "cyngor ariannol"), ("Business administration", "gweinyddu busnes")],
    "health": [("Laboratory technician", "technegydd labordy"), ("Pharmacy assistant", "cynorthwyydd fferyllfa"),
               ("Healthcare science", "gwyddor gofal iechyd"), ("Business administration", "gweinyddu busnes")],
    "hair": [("Hairdressing", "trin gwallt"), ("Barbering", "barbwr"), ("Beauty therapy", "therapi harddwch"),
             ("Nails and beauty", "ewinedd a harddwch")],
    "childcare": [("Nursery practitioner", "ymarferydd meithrinfa"), ("Playworker", "gweithiwr chwarae"),
                  ("Early years assistant", "cynorthwyydd blynyddoedd cynnar"), ("Childcare", "gofal plant")],
    "retail": [("Retail assistant", "cynorthwyydd siop"), ("Stock and warehouse", "stoc a warws"),
               ("Visual merchandising", "marsiandïaeth weledol"), ("Store management", "rheoli siop")],
}  # fmt: skip
OTHER_ROLES = [("Business administration", "gweinyddu busnes"), ("Events", "digwyddiadau"), ("Marketing", "marchnata"),
               ("Customer service", "gwasanaeth cwsmeriaid")]  # fmt: skip

# Offer types by kind of organisation, and how many of each it posts.
POSTS: dict[K, list[str]] = {
    K.employer: ["apprenticeship", "apprenticeship", "internship", "traineeship", "work_experience", "work_experience",
                 "work_shadowing"],
    K.cultural: ["culture", "culture", "culture", "work_experience", "work_shadowing", "traineeship", "mentoring"],
    K.leisure: ["sport", "sport", "sport", "leisure", "leisure", "apprenticeship", "work_experience"],
    K.third_sector: ["mentoring", "mentoring", "mentoring", "leisure", "work_experience", "traineeship", "culture"],
    K.council: ["apprenticeship", "apprenticeship", "work_experience", "work_shadowing", "internship", "leisure",
                "traineeship"],
}  # fmt: skip
POSTS[K.health] = POSTS[K.employer]  # a health board employs as any large employer does

# (title, summary, price, usual price, Welsh title, Welsh summary)
Concession = tuple[str, str, int, int, str, str]
CULTURE: list[Concession] = [
    ("Theatre tickets for £3", "Any show this season for £3, and a friend can come at the same price.", 300, 2200,
     "Tocynnau theatr am £3", "Unrhyw sioe y tymor hwn am £3, a gall ffrind ddod am yr un pris."),
    ("Free gallery late with food", "Monthly evening opening with live music, food and free drawing classes.", 0, 800,
     "Noson hwyr yn yr oriel, gyda bwyd am ddim",
     "Noson agored bob mis gyda cherddoriaeth fyw, bwyd a dosbarthiadau arlunio am ddim."),
    ("Cinema tickets for £1", "Any film, any day, for £1. Popcorn is on us the first time.", 100, 1150,
     "Tocynnau sinema am £1", "Unrhyw ffilm, unrhyw ddiwrnod, am £1. Ni sy'n talu am y popcorn y tro cyntaf."),
    ("Gig tickets for £5", "Standing tickets for our gigs, from local bands to big names on tour.", 500, 3000,
     "Tocynnau gig am £5", "Tocynnau sefyll i'n gigs, o fandiau lleol i enwau mawr ar daith."),
    ("Free museum family pass", "Bring up to three people to every exhibition and talk, all year.", 0, 1500,
     "Tocyn teulu am ddim i'r amgueddfa", "Dewch â hyd at dri pherson i bob arddangosfa a sgwrs, drwy'r flwyddyn."),
    ("Creative writing workshops", "Six Saturday workshops with published writers. Your work printed at the end.", 0,
     9000, "Gweithdai ysgrifennu creadigol",
     "Chwe gweithdy ar ddydd Sadwrn gydag awduron profiadol. Bydd eich gwaith yn cael ei argraffu ar y diwedd."),
    ("Photography course for £10", "Eight evenings learning to shoot, edit and print. Cameras to borrow.", 1000, 12000,
     "Cwrs ffotograffiaeth am £10",
     "Wyth noson yn dysgu tynnu lluniau, eu golygu a'u hargraffu. Mae camerâu i'w benthyg."),
]  # fmt: skip
SPORT: list[Concession] = [
    ("Free swimming at all our pools",
     "Swim for free whenever the pool is open to the public. Show your code at reception.", 0, 520,
     "Nofio am ddim yn ein holl byllau",
     "Nofiwch am ddim pryd bynnag mae'r pwll ar agor i'r cyhoedd. Dangoswch eich cod yn y dderbynfa."),
    ("Gym membership for £5 a month", "Full gym and classes for £5 a month, with a free induction to get you started.",
     500, 2900, "Aelodaeth campfa am £5 y mis",
     "Y gampfa a'r dosbarthiadau i gyd am £5 y mis, gyda sesiwn gyntaf am ddim i'ch helpu i ddechrau."),
    ("Climbing wall taster for £2", "Two hours on the wall with an instructor, all kit included.", 200, 1800,
     "Blas ar y wal ddringo am £2", "Dwy awr ar y wal gyda hyfforddwr, a'r holl offer wedi'i gynnwys."),
    ("Five-a-side football league", "Join a friendly Thursday league. No team needed: we'll find you one.", 0, 600,
     "Cynghrair pêl-droed pump bob ochr",
     "Ymunwch â chynghrair cyfeillgar ar nos Iau. Does dim angen tîm arnoch chi: fe gawn ni hyd i un i chi."),
    ("Learn to surf weekend", "Two days of lessons with wetsuit and board, and transport from the station.", 0, 9500,
     "Penwythnos dysgu syrffio", "Dau ddiwrnod o wersi, gyda siwt wlyb a bwrdd, a chludiant o'r orsaf."),
    ("Boxing fitness classes", "Non-contact boxing fitness twice a week, gloves provided.", 0, 700,
     "Dosbarthiadau ffitrwydd bocsio", "Ffitrwydd bocsio heb daro neb, ddwywaith yr wythnos. Mae menig i'w cael."),
    ("Free tennis coaching", "Ten weeks of coaching for beginners, rackets provided.", 0, 6000,
     "Hyfforddiant tennis am ddim", "Deg wythnos o hyfforddiant i ddechreuwyr, a racedi i'w benthyg."),
]  # fmt: skip
LEISURE: list[Concession] = [
    ("Outdoor weekend in the mountains", "Kayaking, gorge walking and a night in a bunkhouse, all paid for.", 0, 18000,
     "Penwythnos awyr agored yn y mynyddoedd", "Caiacio, cerdded ceunentydd a noson mewn byncws, a'r cyfan wedi'i dalu."),
    ("Half-price bowling and laser tag", "Bring friends on any weekday afternoon for half price.", 400, 800,
     "Bowlio a laser tag am hanner pris", "Dewch â ffrindiau unrhyw brynhawn yn ystod yr wythnos am hanner pris."),
    ("Free cooking on a budget course", "Learn ten cheap, tasty meals over five evenings and take the food home.", 0,
     5000, "Cwrs coginio ar gyllideb am ddim",
     "Dysgwch wneud deg pryd rhad a blasus dros bum noson, ac ewch â'r bwyd adref."),
    ("Driving theory test support", "Practice sessions and we pay for your theory test.", 0, 2300,
     "Help gyda'r prawf theori gyrru", "Sesiynau ymarfer, a ni sy'n talu am eich prawf theori."),
    ("Bike maintenance and a free bike", "Fix up a donated bike over four sessions and keep it.", 0, 15000,
     "Trwsio beiciau a beic am ddim", "Trwsiwch feic ail-law dros bedair sesiwn, a'i gadw."),
]  # fmt: skip
MENTORING: list[tuple[str, str, str, str]] = [
    ("A mentor for your first job",
     "Meet a volunteer mentor once a fortnight for six months: CVs, interviews, money and first payslips.",
     "Mentor ar gyfer eich swydd gyntaf",
     "Cwrdd â mentor gwirfoddol bob pythefnos am chwe mis: CV, cyfweliadau, arian a'ch slipiau cyflog cyntaf."),
    ("Money mentor: budgeting and bills", "One-to-one help with budgets, bills, benefits and your first tenancy.",
     "Mentor arian: cyllidebu a biliau", "Help un i un gyda chyllidebau, biliau, budd-daliadau a'ch tenantiaeth gyntaf."),
    ("University and college mentor",
     "A student mentor helps you with applications, open days and student finance.", "Mentor prifysgol a choleg",
     "Mae myfyriwr yn eich helpu gyda cheisiadau, diwrnodau agored a chyllid myfyrwyr."),
    ("Career mentor in creative industries",
     "Someone who works in film, music or design helps you plan your way in.", "Mentor gyrfa yn y diwydiannau creadigol",
     "Mae rhywun sy'n gweithio ym myd ffilm, cerddoriaeth neu ddylunio yn eich helpu i gynllunio'ch ffordd i mewn."),
    ("Peer mentor who has been there",
     "Talk with someone who has care experience and is a few steps ahead of you.", "Mentor sydd wedi bod yno",
     "Siaradwch â rhywun sydd â phrofiad o fod mewn gofal ac sydd ychydig gamau o'ch blaen chi."),
]  # fmt: skip

# Concession lists, what the offer page adds to each (in English and Welsh), and support every offer of the kind has.
CONCESSIONS: dict[str, tuple[list[Concession], tuple[str, str], dict[str, bool]]] = {
    "culture": (CULTURE, ("\n\nShow the code on your phone at the box office.",
                          "\n\nDangoswch y cod ar eich ffôn yn y swyddfa docynnau."), {}),
    "sport": (SPORT, ("\n\nOur staff are friendly and nobody will ask why you have a code.",
                      "\n\nMae ein staff yn gyfeillgar, a fydd neb yn gofyn pam mae gennych chi god."),
              {"equipment_provided": True}),
    "leisure": (LEISURE, ("", ""), {}),
}  # fmt: skip
MENTORING_MORE = ("\n\nWe meet where suits you: a café, a library, or online.",
                  "\n\nRydyn ni'n cwrdd lle sy'n gyfleus i chi: mewn caffi, mewn llyfrgell neu ar-lein.")  # fmt: skip


def policy(org: str, area: str) -> str:
    """'cy' (Welsh first, English too), 'both' (English first, Welsh too) or 'en' (English only)."""
    if org in WELSH_FIRST:
        return "cy"
    return "both" if area.startswith("W") and org not in ENGLISH_ONLY else "en"


def written(english: Text | None, welsh: Text | None, how: str) -> dict[str, str]:
    """An offer's words as its columns: the first language's in title/summary/description, the other's in *_alt."""
    if english is None or (how == "cy" and welsh is not None):
        first, other, language = welsh, english, "cy"
    else:
        first, other, language = english, None if how == "en" else welsh, "en"
    assert first is not None
    alt = other or ("", "", "")
    return {"language": language, "title": first[0], "summary": first[1], "description": first[2],
            "title_alt": alt[0], "summary_alt": alt[1], "description_alt": alt[2]}  # fmt: skip


def work_offer(offer_type: str, role: str, org: str) -> Text:
    """Title, summary and description for a work offer (apprenticeship, internship, ...)."""
    lower = role if role[:2].isupper() else role[0].lower() + role[1:]  # "IT support" keeps its capitals
    if offer_type == "apprenticeship":
        return (
            f"{role} apprenticeship",
            f"Earn while you learn {lower} with {org}, with a college day every week and a qualification at the end.",
            f"You will work alongside an experienced team, learning {lower} on the job. One day a week you study "
            "for a recognised qualification, paid for by us.\n\nNo experience is needed: we are looking for people who "
            "are curious and willing to learn. A named mentor looks out for you from your first day.",
        )
    if offer_type == "internship":
        return (
            f"Paid summer internship in {lower}",
            f"Eight paid weeks in our {lower} team, with a real project of your own to finish.",
            "You will join a team, take on a project that matters and present it at the end. We pay the real living "
            "wage and help with travel.\n\nGood for anyone thinking about a career or course in this area.",
        )
    if offer_type == "traineeship":
        return (
            f"{role} traineeship",
            f"Six months of training and work experience in {lower}, with English and maths support if you want it.",
            "A traineeship gets you ready for an apprenticeship or job: training, a work placement and help with "
            "applications.\n\nAt the end you get a reference and a guaranteed interview for our next apprenticeships.",
        )
    if offer_type == "work_shadowing":
        return (
            f"Shadow our {lower} team for a day",
            f"Spend a day seeing what {lower} is really like, and ask all the questions you want.",
            "You will follow someone through their working day and try some of the tasks yourself.\n\n"
            "Lunch and travel are paid for. Bring a friend or your personal adviser if you like.",
        )
    return (
        f"Two weeks' work experience: {lower}",
        f"Try {lower} for two weeks with {org}, with travel and lunch paid.",
        "Two weeks in a real workplace, with a supervisor who makes time for you. You will finish with a "
        "reference and a clear idea of whether this work is for you.\n\nHours fit around school or college.",
    )


def work_offer_cy(offer_type: str, role: str, org: str) -> Text:
    """The same in Welsh; `role` is the Welsh role as it reads after a colon."""
    if offer_type == "apprenticeship":
        return (
            f"Prentisiaeth: {role}",
            f"Ennill cyflog wrth ddysgu gyda {org}, gyda diwrnod yn y coleg bob wythnos a chymhwyster ar y diwedd.",
            f"Byddwch chi'n gweithio ochr yn ochr â thîm profiadol ac yn dysgu'r gwaith ({role}) wrth ei wneud. Un "
            "diwrnod yr wythnos byddwch chi'n astudio ar gyfer cymhwyster cydnabyddedig, a ni sy'n talu.\n\nDoes dim "
            "angen profiad: rydyn ni'n chwilio am bobl chwilfrydig sy'n barod i ddysgu. Bydd mentor yn gofalu "
            "amdanoch chi o'r diwrnod cyntaf.",
        )
    if offer_type == "internship":
        return (
            f"Interniaeth haf â thâl: {role}",
            "Wyth wythnos â thâl yn ein tîm, gyda phrosiect go iawn i chi ei orffen.",
            "Byddwch chi'n ymuno â thîm, yn gweithio ar brosiect sy'n bwysig ac yn ei gyflwyno ar y diwedd. Rydyn ni'n "
            "talu'r cyflog byw go iawn ac yn helpu gyda chostau teithio.\n\nDa i unrhyw un sy'n meddwl am yrfa neu "
            "gwrs yn y maes hwn.",
        )
    if offer_type == "traineeship":
        return (
            f"Hyfforddeiaeth: {role}",
            "Chwe mis o hyfforddiant a phrofiad gwaith, a help gyda Saesneg a mathemateg os hoffech chi.",
            "Mae hyfforddeiaeth yn eich paratoi ar gyfer prentisiaeth neu swydd: hyfforddiant, lleoliad gwaith a help "
            "gyda cheisiadau.\n\nAr y diwedd byddwch chi'n cael geirda a chyfweliad ar gyfer ein prentisiaethau nesaf.",
        )
    if offer_type == "work_shadowing":
        return (
            f"Cysgodi am ddiwrnod: {role}",
            "Treuliwch ddiwrnod yn gweld sut beth yw'r gwaith go iawn, a gofynnwch bob cwestiwn sydd gennych chi.",
            "Byddwch chi'n dilyn rhywun drwy ei ddiwrnod gwaith ac yn rhoi cynnig ar rai o'r tasgau eich hun.\n\n"
            "Ni sy'n talu am ginio a theithio. Dewch â ffrind neu eich cynghorydd personol os hoffech chi.",
        )
    return (
        f"Pythefnos o brofiad gwaith: {role}",
        f"Rhowch gynnig arni am bythefnos gyda {org}, a ni sy'n talu am deithio a chinio.",
        "Pythefnos mewn gweithle go iawn, gyda goruchwyliwr sy'n gwneud amser i chi. Byddwch chi'n gorffen gyda "
        "geirda a syniad clir a yw'r gwaith hwn i chi.\n\nMae'r oriau'n gweddu i'r ysgol neu'r coleg.",
    )


def spec_for(offer_type: str, org: str, sector: str, n: int, how: str = "en") -> dict[str, Any]:
    """Fields of the n-th offer of this type from this organisation, written as `how` says (see `policy`)."""
    if offer_type in CONCESSIONS:
        table, (more, more_cy), extra = CONCESSIONS[offer_type]
        title, summary, price, usual, title_cy, summary_cy = table[n % len(table)]
        words = written((title, summary, summary + more), (title_cy, summary_cy, summary_cy + more_cy), how)
        return {**words, "price_pence": price, "usual_price_pence": usual, "free": price == 0, **extra}
    if offer_type == "mentoring":
        title, summary, title_cy, summary_cy = MENTORING[n % len(MENTORING)]
        english = (title, summary, summary + MENTORING_MORE[0])
        return {**written(english, (title_cy, summary_cy, summary_cy + MENTORING_MORE[1]), how), "free": True,
                "flexible_hours": True}  # fmt: skip
    role, role_cy = (ROLES.get(sector) or OTHER_ROLES)[n % len(ROLES.get(sector) or OTHER_ROLES)]
    words = written(work_offer(offer_type, role, org), work_offer_cy(offer_type, role_cy, org), how)
    pay = {"apprenticeship": (780, "hour"), "internship": (42000, "week"), "traineeship": (1221, "hour")}
    pence, per = pay.get(offer_type, (None, None))
    return {**words, "pay_pence": pence, "pay_per": per, "travel_paid": True,
            "mentor": offer_type in ("apprenticeship", "internship", "traineeship")}  # fmt: skip


WORK = ("apprenticeship", "internship", "traineeship", "work_experience", "work_shadowing")


def kept_for_them(kind: K, sector: str, offer_type: str) -> dict[str, bool]:
    """What a work offer keeps for care-experienced young people: councils, as their corporate parents, ring-fence
    their work places and guarantee an interview for their apprenticeships; the health employers guarantee one."""
    if offer_type not in WORK:
        return {}
    if kind == K.council:
        return {"ring_fenced": True, "guaranteed_interview": offer_type == "apprenticeship"}
    return {"guaranteed_interview": True} if sector == "health" else {}


def offers_of(org: str, kind: K, area: str, sector: str, start: int) -> list[tuple[str, dict[str, Any]]]:
    """(type, fields) of every offer this organisation posts: its kind's templates, then its hand-written ones."""
    how = policy(org, area)
    made = [(kind_type, spec_for(kind_type, org, sector, start + 2 * n, how) | kept_for_them(kind, sector, kind_type))
            for n, kind_type in enumerate(POSTS.get(kind, []))]  # fmt: skip
    for extra in EXTRA.get(org, []):
        fields = {key: value for key, value in extra.items() if key not in ("type", "en", "cy")}
        kept = kept_for_them(kind, sector, extra["type"])
        made.append((extra["type"], written(extra.get("en"), extra.get("cy"), how) | kept | fields))
    return made
