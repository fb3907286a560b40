"""The demo marketplace's organisations and what they offer, written for young people. Deterministic."""

from __future__ import annotations

from typing import Any

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
]

ROLES: dict[str, list[str]] = {
    "construction": ["Carpentry", "Electrical installation", "Bricklaying", "Site surveying", "Plumbing"],
    "engineering": ["Mechanical engineering", "Maintenance engineering", "Civil engineering", "Electrical engineering"],
    "digital": ["Software development", "Web design", "IT support", "Data analysis", "Cyber security"],
    "energy": ["Wind turbine technician", "Solar installation", "Energy assessor", "Marine engineering"],
    "manufacturing": ["Machine operator", "Welding and fabrication", "Quality control", "Warehouse logistics"],
    "care": ["Care assistant", "Activities coordinator", "Kitchen assistant", "Health and social care"],
    "motor": ["Vehicle technician", "Bodywork and paint", "Parts and service advisor", "Electric vehicle technician"],
    "food": ["Food production", "Farm and horticulture", "Quality assurance", "Bakery"],
    "hospitality": ["Chef", "Front of house", "Events and catering", "Hotel reception"],
    "finance": ["Customer service", "Accounts", "Financial advice", "Business administration"],
    "health": ["Laboratory technician", "Pharmacy assistant", "Healthcare science", "Business administration"],
}

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

CULTURE = [
    ("Theatre tickets for £3", "Any show this season for £3, and a friend can come at the same price.", 300, 2200),
    ("Free gallery late with food", "Monthly evening opening with live music, food and free drawing classes.", 0, 800),
    ("Cinema tickets for £1", "Any film, any day, for £1. Popcorn is on us the first time.", 100, 1150),
    ("Gig tickets for £5", "Standing tickets for our gigs, from local bands to big names on tour.", 500, 3000),
    ("Free museum family pass", "Bring up to three people to every exhibition and talk, all year.", 0, 1500),
    (
        "Creative writing workshops",
        "Six Saturday workshops with published writers. Your work printed at the end.",
        0,
        9000,
    ),
    ("Photography course for £10", "Eight evenings learning to shoot, edit and print. Cameras to borrow.", 1000, 12000),
]
SPORT = [
    (
        "Free swimming at all our pools",
        "Swim for free whenever the pool is open to the public. Show your code at reception.",
        0,
        520,
    ),
    (
        "Gym membership for £5 a month",
        "Full gym and classes for £5 a month, with a free induction to get you started.",
        500,
        2900,
    ),
    ("Climbing wall taster for £2", "Two hours on the wall with an instructor, all kit included.", 200, 1800),
    ("Five-a-side football league", "Join a friendly Thursday league. No team needed: we'll find you one.", 0, 600),
    ("Learn to surf weekend", "Two days of lessons with wetsuit and board, and transport from the station.", 0, 9500),
    ("Boxing fitness classes", "Non-contact boxing fitness twice a week, gloves provided.", 0, 700),
    ("Free tennis coaching", "Ten weeks of coaching for beginners, rackets provided.", 0, 6000),
]
LEISURE = [
    ("Outdoor weekend in the mountains", "Kayaking, gorge walking and a night in a bunkhouse, all paid for.", 0, 18000),
    ("Half-price bowling and laser tag", "Bring friends on any weekday afternoon for half price.", 400, 800),
    (
        "Free cooking on a budget course",
        "Learn ten cheap, tasty meals over five evenings and take the food home.",
        0,
        5000,
    ),
    ("Driving theory test support", "Practice sessions and we pay for your theory test.", 0, 2300),
    ("Bike maintenance and a free bike", "Fix up a donated bike over four sessions and keep it.", 0, 15000),
]
MENTORING = [
    (
        "A mentor for your first job",
        "Meet a volunteer mentor once a fortnight for six months: CVs, interviews, money and first payslips.",
    ),
    ("Money mentor: budgeting and bills", "One-to-one help with budgets, bills, benefits and your first tenancy."),
    ("University and college mentor", "A student mentor helps you with applications, open days and student finance."),
    ("Career mentor in creative industries", "Someone who works in film, music or design helps you plan your way in."),
    ("Peer mentor who has been there", "Talk with someone who has care experience and is a few steps ahead of you."),
]

# Concession lists, what the offer page adds to each, and support every offer of the kind has.
CONCESSIONS: dict[str, tuple[list[tuple[str, str, int, int]], str, dict[str, bool]]] = {
    "culture": (CULTURE, "\n\nShow the code on your phone at the box office.", {}),
    "sport": (
        SPORT,
        "\n\nOur staff are friendly and nobody will ask why you have a code.",
        {"equipment_provided": True},
    ),
    "leisure": (LEISURE, "", {}),
}


def work_offer(offer_type: str, role: str, org: str) -> tuple[str, str, str]:
    """Title, summary and description for a work offer (apprenticeship, internship, ...)."""
    lower = role[0].lower() + role[1:]
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


def spec_for(offer_type: str, org: str, sector: str, n: int) -> dict[str, Any]:
    """Fields of the n-th offer of this type from this organisation."""
    if offer_type in CONCESSIONS:
        table, more, extra = CONCESSIONS[offer_type]
        title, summary, price, usual = table[n % len(table)]
        return {"title": title, "summary": summary, "price_pence": price, "usual_price_pence": usual,
                "description": summary + more, "free": price == 0, **extra}  # fmt: skip
    if offer_type == "mentoring":
        title, summary = MENTORING[n % len(MENTORING)]
        return {
            "title": title,
            "summary": summary,
            "free": True,
            "flexible_hours": True,
            "description": summary + "\n\nWe meet where suits you: a café, a library, or online.",
        }
    roles = ROLES.get(sector) or ["Business administration", "Events", "Marketing", "Customer service"]
    title, summary, description = work_offer(offer_type, roles[n % len(roles)], org)
    pay = {"apprenticeship": (780, "hour"), "internship": (42000, "week"), "traineeship": (1221, "hour")}
    pence, per = pay.get(offer_type, (None, None))
    return {"title": title, "summary": summary, "description": description, "pay_pence": pence, "pay_per": per,
            "travel_paid": True, "mentor": offer_type in ("apprenticeship", "internship", "traineeship")}  # fmt: skip
