"""Hand-written demo offers, beyond the templates of app/demo_data.py: the everyday things young people look for
(a hospital job alongside nurses, a hair salon, climbing, football, music, volunteering, childcare, a shop job,
driving lessons, someone to talk to), some written in Welsh only. Each has its English words (`en`), its Welsh
words (`cy`) or both, as (title, summary, description); the organisation's policy in app/demo_data.py decides
which language comes first."""

from __future__ import annotations

from typing import Any

Text = tuple[str, str, str]


def _offer(offer_type: str, en: Text | None = None, cy: Text | None = None, **fields: Any) -> dict[str, Any]:
    return {"type": offer_type, "en": en, "cy": cy, **fields}


PAID_HOURLY: dict[str, Any] = {"pay_pence": 1200, "pay_per": "hour"}
FREE: dict[str, Any] = {"free": True, "price_pence": 0}

EXTRA: dict[str, list[dict[str, Any]]] = {
    "Taf Valley Health Board": [
        _offer(
            "apprenticeship",
            (
                "Healthcare support worker apprenticeship",
                "Work on a hospital ward alongside nurses, helping patients to wash, eat and get about. Paid from day one.",
                "You will be part of a ward team, working alongside nurses and doctors and learning to care for patients "
                "safely.\n\nMany of our nurses started this way: after the apprenticeship you can train as a nurse, "
                "with your degree paid for by the health board.",
            ),
            (
                "Prentisiaeth gweithiwr cymorth gofal iechyd",
                "Gweithio ar ward ysbyty ochr yn ochr â nyrsys, yn helpu cleifion i ymolchi, bwyta a symud. Cyflog o'r "
                "diwrnod cyntaf.",
                "Byddwch chi'n rhan o dîm ward, yn gweithio gyda nyrsys a meddygon ac yn dysgu gofalu am gleifion yn "
                "ddiogel.\n\nDechreuodd llawer o'n nyrsys fel hyn: ar ôl y brentisiaeth gallwch chi hyfforddi i fod yn "
                "nyrs, a'r bwrdd iechyd yn talu am eich gradd.",
            ),
            pay_pence=1140,
            pay_per="hour",
            mentor=True,
            travel_paid=True,
        ),
        _offer(
            "work_experience",
            (
                "Hospital work experience: a week on the wards",
                "See what nurses, porters and healthcare assistants really do, on a ward and in A&E.",
                "A week with our hospital teams. You will help with meals and visitors, and see how nursing works day "
                "and night.\n\nGood if you are thinking of nursing, midwifery or being a paramedic.",
            ),
            (
                "Profiad gwaith yn yr ysbyty: wythnos ar y wardiau",
                "Gweld beth mae nyrsys, porthorion a chynorthwywyr gofal iechyd yn ei wneud go iawn, ar ward ac yn yr "
                "adran frys.",
                "Wythnos gyda thimau'r ysbyty. Byddwch chi'n helpu gyda phrydau bwyd ac ymwelwyr, ac yn gweld sut mae "
                "nyrsio'n gweithio ddydd a nos.\n\nDa os ydych chi'n ystyried nyrsio, bydwreigiaeth neu fod yn "
                "barafeddyg.",
            ),
            travel_paid=True,
        ),
        _offer(
            "traineeship",
            (
                "Get ready for nursing: a pre-nursing course",
                "Twelve weeks of training and ward placements to help you apply to study nursing at university.",
                "Science and maths support, a placement on a ward, and help with your university application and "
                "interview. Many who finish go on to become nurses.",
            ),
            (
                "Paratoi at nyrsio: cwrs cyn-nyrsio",
                "Deuddeg wythnos o hyfforddiant a lleoliadau ar wardiau i'ch helpu i wneud cais i astudio nyrsio yn y "
                "brifysgol.",
                "Help gyda gwyddoniaeth a mathemateg, lleoliad ar ward, a help gyda'ch cais a'ch cyfweliad prifysgol. "
                "Mae llawer sy'n gorffen yn mynd ymlaen i fod yn nyrsys.",
            ),
            pay_pence=1221,
            pay_per="hour",
            mentor=True,
        ),
        _offer(
            "work_shadowing",
            (
                "Shadow a paramedic for a day",
                "Ride along with an ambulance crew and see how paramedics look after people in an emergency.",
                "A day with the ambulance service: the station, the kit, and calls when it is safe for you to come.",
            ),
            (
                "Cysgodi parafeddyg am ddiwrnod",
                "Teithio gyda chriw ambiwlans a gweld sut mae parafeddygon yn gofalu am bobl mewn argyfwng.",
                "Diwrnod gyda'r gwasanaeth ambiwlans: yr orsaf, yr offer, a galwadau pan fydd hi'n ddiogel i chi ddod.",
            ),
            travel_paid=True,
        ),
        _offer(
            "apprenticeship",
            (
                "Dental nurse apprenticeship",
                "Train as a dental nurse in our community dental clinic, paid while you learn.",
                "Help the dentist, look after patients and learn to keep the surgery safe and clean. You study for "
                "your dental nursing qualification one day a week.",
            ),
            (
                "Prentisiaeth nyrs ddeintyddol",
                "Hyfforddi i fod yn nyrs ddeintyddol yn ein clinig deintyddol cymunedol, gyda chyflog wrth ddysgu.",
                "Helpu'r deintydd, gofalu am gleifion a dysgu cadw'r feddygfa'n ddiogel ac yn lân. Byddwch chi'n "
                "astudio ar gyfer eich cymhwyster nyrsio deintyddol un diwrnod yr wythnos.",
            ),
            pay_pence=780,
            pay_per="hour",
            mentor=True,
        ),
    ],
    "Siswrn Hair Academy": [
        _offer(
            "apprenticeship",
            (
                "Trainee hairdresser in a busy salon",
                "Learn to cut, colour and style in our city-centre hair salon, paid while you train.",
                "You start by washing hair and looking after clients, then learn cutting and colouring from our "
                "stylists. One day a week at the academy for your hairdressing qualification.",
            ),
            (
                "Prentis trin gwallt mewn salon prysur",
                "Dysgu torri, lliwio a steilio gwallt yn ein salon yng nghanol y ddinas, gyda chyflog wrth hyfforddi.",
                "Byddwch chi'n dechrau drwy olchi gwallt a gofalu am gwsmeriaid, ac yna'n dysgu torri a lliwio gan ein "
                "steilwyr. Un diwrnod yr wythnos yn yr academi ar gyfer eich cymhwyster trin gwallt.",
            ),
            pay_pence=780,
            pay_per="hour",
            mentor=True,
        ),
        _offer(
            "work_experience",
            (
                "Saturday work experience at a barber's",
                "Spend your Saturdays in a barber shop: sweeping up, meeting customers and learning the basics of "
                "barbering.",
                "Four Saturdays with our barbers. If you like it, you go to the front of the queue for our next "
                "barbering apprenticeship.",
            ),
            (
                "Profiad gwaith ar ddydd Sadwrn yn siop y barbwr",
                "Treulio'ch dyddiau Sadwrn mewn siop barbwr: glanhau, cwrdd â chwsmeriaid a dysgu hanfodion torri "
                "gwallt dynion.",
                "Pedwar dydd Sadwrn gyda'n barbwyr. Os ydych chi'n ei hoffi, chi fydd gyntaf yn y ciw ar gyfer ein "
                "prentisiaeth nesaf.",
            ),
            travel_paid=True,
        ),
    ],
    "Gwesty'r Harbwr": [
        _offer(
            "internship",
            (
                "Paid summer job in our restaurant and bar",
                "Waiting on tables, serving behind the bar and helping in the kitchen, July to September, paid weekly.",
                "A summer job by the sea, with training in food hygiene and serving customers. Meals on shift, and "
                "hours that suit you.",
            ),
            (
                "Swydd haf â thâl yn ein bwyty a'n bar",
                "Gweini wrth y byrddau, gweithio tu ôl i'r bar a helpu yn y gegin, o fis Gorffennaf i fis Medi, gyda "
                "chyflog bob wythnos.",
                "Swydd haf ar lan y môr, gyda hyfforddiant hylendid bwyd a gwasanaeth cwsmeriaid. Bwyd ar bob shifft, "
                "ac oriau sy'n gweddu i chi.",
            ),
            **PAID_HOURLY,
            flexible_hours=True,
        ),
        _offer(
            "traineeship",
            (
                "Barista training and a café job",
                "Learn to make great coffee, then work three months in our harbour café with a reference at the end.",
                "Two weeks of barista training, then real shifts in the café. You keep your tips.",
            ),
            (
                "Hyfforddiant barista a swydd mewn caffi",
                "Dysgu gwneud coffi gwych, ac yna gweithio am dri mis yn ein caffi ar yr harbwr, gyda geirda ar y diwedd.",
                "Pythefnos o hyfforddiant barista, ac yna shifftiau go iawn yn y caffi. Chi sy'n cadw'ch tips.",
            ),
            pay_pence=1221,
            pay_per="hour",
        ),
    ],
    "Tedi Bach Nurseries": [
        _offer(
            "apprenticeship",
            (
                "Childcare apprenticeship in a Welsh-medium nursery",
                "Look after babies and toddlers and learn early years care, working towards a Level 3 qualification.",
                "You will play, read and sing with young children, help at mealtimes and learn how they grow. Welsh "
                "speakers and learners are both welcome.",
            ),
            (
                "Prentisiaeth gofal plant mewn meithrinfa Gymraeg",
                "Gofalu am fabanod a phlant bach a dysgu gofal blynyddoedd cynnar, gan weithio at gymhwyster Lefel 3.",
                "Byddwch chi'n chwarae, darllen a chanu gyda phlant bach, yn helpu amser bwyd ac yn dysgu sut maen nhw'n "
                "tyfu. Croeso i siaradwyr Cymraeg a dysgwyr.",
            ),
            pay_pence=780,
            pay_per="hour",
            mentor=True,
        ),
        _offer(
            "work_experience",
            (
                "Work experience at an after-school club",
                "Help run games, crafts and snacks for primary school children, three afternoons a week.",
                "See what being a playworker is like. Good for anyone thinking about childcare or teaching.",
            ),
            (
                "Profiad gwaith mewn clwb ar ôl ysgol",
                "Helpu i redeg gemau, crefftau a byrbrydau i blant ysgol gynradd, dri phrynhawn yr wythnos.",
                "Gweld sut beth yw bod yn weithiwr chwarae. Da i unrhyw un sy'n meddwl am ofal plant neu ddysgu.",
            ),
            flexible_hours=True,
        ),
    ],
    "Valleys Stores": [
        _offer(
            "internship",
            (
                "Christmas temp job on the shop floor",
                "Paid weekly from November to January: stacking shelves, working the tills and helping customers.",
                "A paid Christmas job in retail, with full training. Some of our temps stay on after January.",
            ),
            (
                "Swydd dros dro adeg y Nadolig ar lawr y siop",
                "Cyflog bob wythnos o fis Tachwedd i fis Ionawr: llenwi silffoedd, gweithio ar y til a helpu cwsmeriaid.",
                "Swydd Nadolig â thâl mewn siop, gyda hyfforddiant llawn. Mae rhai o'n gweithwyr dros dro yn aros ar ôl "
                "mis Ionawr.",
            ),
            **PAID_HOURLY,
            flexible_hours=True,
        ),
        _offer(
            "work_experience",
            (
                "Supermarket work experience",
                "Two weeks behind the scenes in a supermarket: deliveries, the bakery and the tills.",
                "See every part of a big shop and find out which you like best. Lunch and bus fares paid.",
            ),
            (
                "Profiad gwaith mewn archfarchnad",
                "Pythefnos y tu ôl i'r llenni mewn archfarchnad: danfoniadau, y popty a'r tiliau.",
                "Gweld pob rhan o siop fawr a chael gwybod pa un rydych chi'n ei hoffi orau. Ni sy'n talu am ginio a'r "
                "bws.",
            ),
            travel_paid=True,
        ),
    ],
    "Cardiff Bay Builders": [
        _offer(
            "traineeship",
            (
                "Trainee on a building site, with your CSCS card",
                "Paid training on a real construction site: health and safety, your CSCS card and a trade to try.",
                "Eight weeks on site with a supervisor. We pay for your CSCS card, boots and hi-vis, and you try "
                "joinery, bricklaying and groundwork.",
            ),
            (
                "Hyfforddai ar safle adeiladu, gyda'ch cerdyn CSCS",
                "Hyfforddiant â thâl ar safle adeiladu go iawn: iechyd a diogelwch, eich cerdyn CSCS a chrefft i roi "
                "cynnig arni.",
                "Wyth wythnos ar y safle gyda goruchwyliwr. Ni sy'n talu am eich cerdyn CSCS, eich esgidiau a'ch dillad "
                "llachar, a byddwch chi'n rhoi cynnig ar waith saer, gosod brics a gwaith tir.",
            ),
            pay_pence=1221,
            pay_per="hour",
            equipment_provided=True,
        ),
        _offer(
            "work_experience",
            (
                "Try a trade: a week on a building site",
                "A week with our builders, electricians and plumbers to find the trade for you.",
                "Hard hat and boots provided. Each day you work with a different trade.",
            ),
            (
                "Rhoi cynnig ar grefft: wythnos ar safle adeiladu",
                "Wythnos gyda'n hadeiladwyr, ein trydanwyr a'n plymwyr i ddod o hyd i'r grefft i chi.",
                "Mae het galed ac esgidiau ar gael. Bob dydd byddwch chi'n gweithio gyda chrefft wahanol.",
            ),
            equipment_provided=True,
            travel_paid=True,
        ),
    ],
    "Kent Coast Builders": [
        _offer(
            "apprenticeship",
            (
                "Painting and decorating apprenticeship",
                "Learn painting, decorating and wallpapering on homes and offices along the coast.",
                "Paid from day one, with a day release to college. Tools and workwear provided.",
            ),
            pay_pence=780,
            pay_per="hour",
            equipment_provided=True,
            mentor=True,
        ),
    ],
    "Powys Outdoor Centres": [
        _offer(
            "sport",
            (
                "Indoor climbing club, Tuesday nights",
                "Bouldering and rope climbing with a coach at our climbing centre. Shoes and harness included.",
                "Beginners welcome: you learn to tie in, belay and climb safely, and then climb with the club.",
            ),
            (
                "Clwb dringo dan do, nos Fawrth",
                "Bowldro a dringo gyda rhaff gyda hyfforddwr yn ein canolfan ddringo. Esgidiau a harnais wedi'u cynnwys.",
                "Croeso i ddechreuwyr: byddwch chi'n dysgu clymu, belai a dringo'n ddiogel, ac yna'n dringo gyda'r clwb.",
            ),
            **FREE,
            equipment_provided=True,
        ),
        _offer(
            "leisure",
            (
                "Camping and hill walking weekend",
                "Two days walking in the hills with a leader, a night under canvas, and all the kit you need.",
                "Food, tents, boots and waterproofs provided. Transport from Newtown and Brecon.",
            ),
            (
                "Penwythnos gwersylla a cherdded mynyddoedd",
                "Dau ddiwrnod yn cerdded yn y bryniau gydag arweinydd, noson mewn pabell, a'r holl offer sydd ei angen.",
                "Bwyd, pebyll, esgidiau a dillad glaw ar gael. Cludiant o'r Drenewydd ac Aberhonddu.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Lakes Adventure Trust": [
        _offer(
            "sport",
            (
                "Rock climbing and abseiling day",
                "A day on real rock with a qualified instructor: climbing, abseiling and a picnic by the lake.",
                "All equipment provided. No experience needed.",
            ),
            **FREE,
            equipment_provided=True,
        ),
        _offer(
            "work_experience",
            (
                "Volunteer ranger days",
                "Volunteer with our rangers: repairing paths, planting trees and looking after the fells.",
                "A day a week outdoors, learning conservation skills. Good for a CV or a career in the outdoors.",
            ),
            flexible_hours=True,
        ),
        _offer(
            "leisure",
            (
                "Mountain biking day with bike hire",
                "A guided day on forest trails. Bike, helmet and lunch included.",
                "Ride at your own pace with a guide. Bikes for every size.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Swansea Bay Sport": [
        _offer(
            "sport",
            (
                "Women's and girls' football sessions",
                "Friendly football for women and girls aged 16 to 25, every Sunday morning. Any level.",
                "Come on your own or with friends. Boots to borrow if you need them.",
            ),
            (
                "Sesiynau pêl-droed i fenywod a merched",
                "Pêl-droed cyfeillgar i fenywod a merched rhwng 16 a 25 oed, bob bore Sul. Unrhyw lefel.",
                "Dewch ar eich pen eich hun neu gyda ffrindiau. Mae esgidiau i'w benthyg os oes angen.",
            ),
            **FREE,
        ),
        _offer(
            "sport",
            (
                "Rugby for beginners: touch and tag",
                "Non-contact rugby sessions for beginners on Wednesday evenings.",
                "Learn to pass and run with the ball in a friendly group. No tackling.",
            ),
            (
                "Rygbi i ddechreuwyr: cyffwrdd a thag",
                "Sesiynau rygbi heb daclo i ddechreuwyr ar nos Fercher.",
                "Dysgu pasio a rhedeg gyda'r bêl mewn grŵp cyfeillgar. Dim taclo.",
            ),
            **FREE,
        ),
    ],
    "Nottingham Leisure Partnership": [
        _offer(
            "traineeship",
            (
                "Football coaching course: your first coaching badge",
                "Get your first football coaching qualification and help run sessions for children.",
                "Six weeks of training, then coaching experience with our junior teams.",
            ),
            pay_pence=1221,
            pay_per="hour",
        ),
        _offer(
            "sport",
            (
                "Yoga and pilates classes for £1",
                "Drop in to any yoga or pilates class at our leisure centres for £1.",
                "Mats provided. Classes for beginners every weekday evening.",
            ),
            price_pence=100,
            usual_price_pence=750,
        ),
    ],
    "Valleys Leisure Trust": [
        _offer(
            "sport",
            (
                "Leisure centre pass: gym, pool and classes for £1",
                "One pass for every leisure centre in the valleys: the gym, swimming and fitness classes, £1 a visit.",
                "Use it at any of our leisure centres, as often as you like.",
            ),
            (
                "Pas canolfan hamdden: campfa, pwll a dosbarthiadau am £1",
                "Un pas ar gyfer pob canolfan hamdden yn y cymoedd: y gampfa, nofio a dosbarthiadau ffitrwydd, £1 bob "
                "tro.",
                "Gallwch ei ddefnyddio yn unrhyw un o'n canolfannau hamdden, mor aml ag y mynnwch chi.",
            ),
            price_pence=100,
            usual_price_pence=650,
        ),
        _offer(
            "sport",
            (
                "Learn to swim: lessons for beginners",
                "Ten small-group swimming lessons for adults who never learned, at a quiet time.",
                "Nobody will watch or judge. Start in the shallow end and go at your own pace.",
            ),
            (
                "Dysgu nofio: gwersi i ddechreuwyr",
                "Deg gwers nofio mewn grŵp bach i oedolion na ddysgodd erioed, ar amser tawel.",
                "Fydd neb yn gwylio nac yn barnu. Dechreuwch yn y pen bas ac ewch ar eich cyflymder eich hun.",
            ),
            **FREE,
        ),
    ],
    "Rhondda Cynon Taf Council": [
        _offer(
            "leisure",
            (
                "Free fitness classes at your local leisure centre",
                "Spin, circuits and dance fitness at the council's leisure centres, free for care leavers.",
                "Book at reception with your code. Classes every day from 7am.",
            ),
            (
                "Dosbarthiadau ffitrwydd am ddim yn eich canolfan hamdden leol",
                "Beicio dan do, cylchedau a ffitrwydd dawns yng nghanolfannau hamdden y cyngor, am ddim i rai sy'n "
                "gadael gofal.",
                "Dewch i'r ganolfan hamdden ac archebwch yn y dderbynfa gyda'ch cod. Dosbarthiadau bob dydd o 7am.",
            ),
            **FREE,
        ),
        _offer(
            "internship",
            (
                "Paid office job: council admin assistant for a year",
                "A year's paid job in a council office: answering calls, keeping records and helping the public.",
                "Office work with a friendly team, training in IT and customer service, and a real wage. Many go on to "
                "permanent jobs.",
            ),
            (
                "Swydd swyddfa â thâl: cynorthwyydd gweinyddol yn y cyngor am flwyddyn",
                "Blwyddyn o swydd â thâl yn un o swyddfeydd y cyngor: ateb galwadau, cadw cofnodion a helpu'r cyhoedd.",
                "Gwaith swyddfa gyda thîm cyfeillgar, hyfforddiant TG a gwasanaeth cwsmeriaid, a chyflog go iawn. Mae "
                "llawer yn mynd ymlaen i swyddi parhaol.",
            ),
            pay_pence=1250,
            pay_per="hour",
            mentor=True,
        ),
        _offer(
            "traineeship",
            (
                "Digital skills bootcamp: learn to code in 12 weeks",
                "Learn coding, websites and spreadsheets with a laptop to keep, then a work placement.",
                "No experience needed. You finish with a portfolio, a reference and a laptop.",
            ),
            (
                "Cwrs sgiliau digidol: dysgu codio mewn 12 wythnos",
                "Dysgu codio, gwefannau a thaenlenni gyda gliniadur i'w gadw, ac yna lleoliad gwaith.",
                "Does dim angen profiad. Byddwch chi'n gorffen gyda phortffolio, geirda a gliniadur.",
            ),
            pay_pence=1221,
            pay_per="hour",
            equipment_provided=True,
        ),
    ],
    "Hampshire County Council": [
        _offer(
            "leisure",
            (
                "Gym and swim pass for care leavers",
                "Free use of the gym and pool at any county leisure centre for a year.",
                "Show your code at reception. Includes a free induction with a fitness instructor.",
            ),
            **FREE,
        ),
    ],
    "Carmarthen Arts Centre": [
        _offer(
            "culture",
            (
                "Band rehearsal room and recording studio for £2 an hour",
                "Rehearse with your band or record your own songs, with a sound engineer to help.",
                "Drum kit, amps and microphones provided. Book a slot any evening.",
            ),
            (
                "Ystafell ymarfer a stiwdio recordio i fandiau am £2 yr awr",
                "Ymarfer gyda'ch band neu recordio'ch caneuon eich hun, gyda pheiriannydd sain i helpu.",
                "Mae set ddrymiau, mwyhaduron a meicroffonau ar gael. Archebwch slot unrhyw noson.",
            ),
            price_pence=200,
            usual_price_pence=1500,
            equipment_provided=True,
        ),
        _offer(
            "culture",
            (
                "Street art and graffiti workshop",
                "Design and spray a mural with a street artist over two Saturdays. All materials provided.",
                "Your art goes on a real wall in town.",
            ),
            (
                "Gweithdy celf stryd a graffiti",
                "Dylunio a chwistrellu murlun gydag artist stryd dros ddau ddydd Sadwrn. Yr holl ddeunyddiau ar gael.",
                "Bydd eich celf ar wal go iawn yn y dref.",
            ),
            **FREE,
            equipment_provided=True,
        ),
        _offer(
            "culture",
            (
                "Cinema club: a film every Friday for £1",
                "New releases and old favourites in our cinema every Friday night, with free popcorn.",
                "Bring a friend for £1 too.",
            ),
            (
                "Clwb sinema: ffilm bob nos Wener am £1",
                "Ffilmiau newydd a hen ffefrynnau yn ein sinema bob nos Wener, gyda popcorn am ddim.",
                "Dewch â ffrind am £1 hefyd.",
            ),
            price_pence=100,
            usual_price_pence=900,
        ),
    ],
    "Birmingham Music Hall": [
        _offer(
            "culture",
            (
                "Free opera tickets for under-26s",
                "A free seat at every opera and ballet this season. Just turn up with your code.",
                "The best seats left on the night, free. No dress code.",
            ),
            **FREE,
        ),
        _offer(
            "culture",
            (
                "Learn guitar, drums or keys for free",
                "Weekly music lessons in small groups, with instruments to borrow and a gig at the end of term.",
                "No experience or reading music needed.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Manchester Film House": [
        _offer(
            "culture",
            (
                "Free film-making course",
                "Make your own short film in eight weeks, from script to screen, with cameras to borrow.",
                "Your film is shown in our cinema at the end.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Newcastle Art Works": [
        _offer(
            "culture",
            (
                "Free art workshops: painting and printmaking",
                "Paint, draw and make prints with local artists every Wednesday. All materials provided.",
                "No art experience needed. Take your work home or show it in our end-of-year exhibition.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Theatr y Gogledd": [
        _offer(
            "culture",
            cy=(
                "Tocynnau theatr am £2 i bobl ifanc",
                "Gwelwch unrhyw ddrama neu sioe gerdd yn Gymraeg ar ein llwyfan am £2.",
                "Archebwch ar-lein neu yn y swyddfa docynnau. Mae'r seddi gorau'n mynd yn gyflym!",
            ),
            price_pence=200,
            usual_price_pence=1800,
        ),
        _offer(
            "culture",
            (
                "Free opera tickets",
                "Free tickets to the touring opera when it comes to our theatre, with a backstage talk before the show.",
                "Two free tickets each, so you can bring someone.",
            ),
            (
                "Tocynnau opera am ddim",
                "Tocynnau am ddim i'r opera deithiol pan ddaw i'n theatr, gyda sgwrs gefn llwyfan cyn y sioe.",
                "Dau docyn am ddim yr un, felly gallwch chi ddod â rhywun.",
            ),
            **FREE,
        ),
        _offer(
            "work_experience",
            cy=(
                "Profiad gwaith cefn llwyfan",
                "Dysgwch am oleuo, sain a setiau gyda'n criw technegol yn ystod sioe go iawn.",
                "Pythefnos gyda'r tîm cefn llwyfan. Byddwch chi'n helpu i godi'r set a rhedeg y sioe bob nos.",
            ),
            travel_paid=True,
        ),
        _offer(
            "culture",
            cy=(
                "Gweithdai cerddoriaeth a chyfansoddi caneuon",
                "Ysgrifennu a recordio eich caneuon eich hun gyda cherddorion proffesiynol.",
                "Chwe nos Lun yn y theatr. Does dim angen profiad, dim ond awydd i greu cerddoriaeth.",
            ),
            **FREE,
        ),
        _offer(
            "culture",
            cy=(
                "Dosbarthiadau dawns i bobl ifanc",
                "Dawns stryd, hip hop a dawns gyfoes bob nos Iau, i ddechreuwyr a dawnswyr profiadol.",
                "Dewch mewn dillad cyfforddus. Mae'r dosbarth yn gorffen gyda pherfformiad ar y llwyfan.",
            ),
            **FREE,
        ),
    ],
    "Amgueddfa'r Cymoedd": [
        _offer(
            "culture",
            cy=(
                "Gweithdy celf am ddim bob dydd Sadwrn",
                "Dewch i beintio, arlunio a gwneud printiau gydag artist lleol yn yr amgueddfa.",
                "Does dim angen profiad o gelf. Mae'r holl ddeunyddiau ar gael, a gallwch chi fynd â'ch gwaith adref.",
            ),
            **FREE,
            equipment_provided=True,
        ),
        _offer(
            "work_experience",
            (
                "Volunteer at the museum",
                "Greet visitors, help with school groups and look after our collection, one day a week.",
                "Volunteering with us counts towards your CV and we give a reference after three months.",
            ),
            (
                "Gwirfoddoli yn yr amgueddfa",
                "Croesawu ymwelwyr, helpu gyda grwpiau ysgol a gofalu am ein casgliad, un diwrnod yr wythnos.",
                "Mae gwirfoddoli gyda ni'n cyfrif ar eich CV, ac rydyn ni'n rhoi geirda ar ôl tri mis.",
            ),
            flexible_hours=True,
            travel_paid=True,
        ),
        _offer(
            "culture",
            cy=(
                "Hanes y pyllau glo: taith dywys am ddim",
                "Taith dywys o dan y ddaear gyda chyn-löwr, a phaned yn y caffi wedyn.",
                "Dewch â ffrind. Mae'r daith yn para awr a hanner.",
            ),
            **FREE,
        ),
    ],
    "Drws Agored Youth Trust": [
        _offer(
            "work_experience",
            cy=(
                "Gwirfoddoli yn ein caffi cymunedol",
                "Helpu yn y gegin a thu ôl i'r cownter yn ein caffi, gan ennill profiad ar gyfer eich CV.",
                "Un neu ddau fore'r wythnos. Byddwch chi'n cael tystysgrif hylendid bwyd a geirda ar ôl tri mis o "
                "wirfoddoli.",
            ),
            flexible_hours=True,
        ),
        _offer(
            "mentoring",
            cy=(
                "Rhywun i siarad â nhw: cefnogaeth iechyd meddwl",
                "Sgwrs un i un bob wythnos gyda gweithiwr ieuenctid sy'n gwrando, pan fydd pethau'n anodd.",
                "Does dim rhaid i chi esbonio popeth. Rydyn ni'n cwrdd mewn lle tawel neu'n mynd am dro.",
            ),
            free=True,
            flexible_hours=True,
        ),
        _offer(
            "leisure",
            (
                "Driving lessons paid for: ten lessons and your test",
                "We pay for ten driving lessons with a local instructor and your practical driving test.",
                "Pass your driving test and get to work, college or family more easily.",
            ),
            (
                "Gwersi gyrru wedi'u talu: deg gwers a'ch prawf",
                "Rydyn ni'n talu am ddeg gwers yrru gyda hyfforddwr lleol ac am eich prawf gyrru ymarferol.",
                "Pasiwch eich prawf gyrru a chyrraedd y gwaith, y coleg neu'ch teulu'n haws.",
            ),
            **FREE,
        ),
        _offer(
            "leisure",
            cy=(
                "Clwb ieuenctid nos Fawrth: gemau, bwyd a sgwrs",
                "Lle cynnes i gwrdd â phobl eraill, chwarae gemau a chael swper am ddim.",
                "Galwch heibio unrhyw nos Fawrth rhwng 6 ac 8. Does dim rhaid archebu.",
            ),
            **FREE,
        ),
        _offer(
            "sport",
            cy=(
                "Pêl-droed nos Wener yn y ganolfan hamdden",
                "Gêm gyfeillgar o bêl-droed bob nos Wener, i bawb o bob gallu.",
                "Dewch â dillad chwaraeon a dŵr. Bydd bwyd ar ôl y gêm.",
            ),
            **FREE,
        ),
        _offer(
            "leisure",
            cy=(
                "Diwrnod allan i lan y môr",
                "Taith ar y bws i Ddinbych-y-pysgod gyda'r grŵp: hufen iâ, traeth a sglodion, a ni sy'n talu.",
                "Mae'r bws yn gadael am 9 ac yn dod nôl erbyn 6.",
            ),
            **FREE,
        ),
        _offer(
            "culture",
            (
                "Free Welsh lessons for beginners",
                "Learn everyday Welsh in a relaxed group, one evening a week, with tea and cake.",
                "For complete beginners. Learn to chat, not to pass exams.",
            ),
            (
                "Gwersi Cymraeg am ddim i ddechreuwyr",
                "Dysgu Cymraeg bob dydd mewn grŵp hamddenol, un noson yr wythnos, gyda phaned a chacen.",
                "I ddechreuwyr llwyr. Dysgu sgwrsio, nid pasio arholiadau.",
            ),
            **FREE,
        ),
    ],
    "Cyngor Gwynedd Apprenticeships": [
        _offer(
            "apprenticeship",
            cy=(
                "Prentisiaeth gweinyddu busnes yn swyddfa'r Cyngor",
                "Gwaith swyddfa gyda chyflog: ateb y ffôn, trefnu cyfarfodydd a helpu pobl Gwynedd, gan ddysgu yn y "
                "gwaith.",
                "Dwy flynedd gyda thîm yng Nghaernarfon, a chymhwyster gweinyddu busnes ar y diwedd. Mae'r gwaith i gyd "
                "yn Gymraeg.",
            ),
            pay_pence=780,
            pay_per="hour",
            mentor=True,
        ),
        _offer(
            "apprenticeship",
            cy=(
                "Prentisiaeth gofal cymdeithasol: gweithio gyda phobl hŷn",
                "Helpu pobl hŷn i fyw'n annibynnol yn eu cartrefi eu hunain, gyda chyflog a hyfforddiant.",
                "Byddwch chi'n gweithio mewn tîm gofal cartref, gyda char y cyngor os oes gennych chi drwydded yrru.",
            ),
            pay_pence=1000,
            pay_per="hour",
            mentor=True,
            travel_paid=True,
        ),
        _offer(
            "work_experience",
            cy=(
                "Profiad gwaith yn yr awyr agored: parciau a llwybrau",
                "Gofalu am barciau, llwybrau a thraethau Gwynedd gyda'n ceidwaid cefn gwlad.",
                "Pythefnos allan ym mhob tywydd. Mae dillad gwaith ac esgidiau ar gael.",
            ),
            equipment_provided=True,
            travel_paid=True,
        ),
        _offer(
            "leisure",
            cy=(
                "Dringo creigiau a chanŵio yn Eryri",
                "Diwrnod o antur gyda hyfforddwyr profiadol: dringo yn y bore, canŵio yn y prynhawn.",
                "Mae'r holl offer a chinio wedi'u cynnwys. Cludiant o Fangor a Phwllheli.",
            ),
            **FREE,
            equipment_provided=True,
        ),
    ],
    "Next Chapter Mentors": [
        _offer(
            "mentoring",
            (
                "Someone to talk to: free counselling",
                "Six free sessions with a counsellor who understands care. Talk about whatever is on your mind, in "
                "confidence.",
                "In person in Swansea, by phone or online. You choose.",
            ),
            (
                "Rhywun i siarad â nhw: cwnsela am ddim",
                "Chwe sesiwn am ddim gyda chwnselydd sy'n deall gofal. Siaradwch am unrhyw beth sy'n eich poeni, yn "
                "gyfrinachol.",
                "Wyneb yn wyneb yn Abertawe, ar y ffôn neu ar-lein. Chi sy'n dewis.",
            ),
            free=True,
            flexible_hours=True,
        ),
        _offer(
            "mentoring",
            (
                "Help with your CV and job interviews",
                "A mentor helps you write your CV, find jobs to apply for and practise for interviews.",
                "Three sessions, and more if you need them.",
            ),
            (
                "Help gyda'ch CV a chyfweliadau swydd",
                "Mae mentor yn eich helpu i ysgrifennu eich CV, dod o hyd i swyddi a pharatoi ar gyfer cyfweliadau.",
                "Tair sesiwn, a mwy os oes eu hangen.",
            ),
            free=True,
        ),
    ],
    "First Step Mentoring": [
        _offer(
            "mentoring",
            (
                "Mental health support for young people",
                "A youth worker to talk to every week when things get hard, for as long as you need.",
                "No waiting list. We can meet in a café, walk in the park or talk on the phone.",
            ),
            free=True,
            flexible_hours=True,
        ),
    ],
    "Liverpool Care Leavers Network": [
        _offer(
            "work_experience",
            (
                "Volunteer at our food bank",
                "Sort donations and help people who come in, one or two mornings a week.",
                "Volunteering is good for your CV and you meet great people. We give references.",
            ),
            flexible_hours=True,
        ),
        _offer(
            "leisure",
            (
                "Free laptop and data for your course",
                "A free laptop and six months of mobile data if you are starting college or university.",
                "Tell us your course and we post it to you.",
            ),
            **FREE,
        ),
        _offer(
            "mentoring",
            (
                "Housing support: your first flat",
                "A support worker helps you find, furnish and keep your first home.",
                "Help with tenancies, bills and a starter pack of pots, pans and bedding.",
            ),
            free=True,
        ),
    ],
    "Bradford Youth Kitchen": [
        _offer(
            "traineeship",
            (
                "Paid kitchen traineeship: learn to cook in a real restaurant",
                "Twelve weeks cooking in our community restaurant with a head chef, paid, with a food hygiene "
                "certificate.",
                "From prep to service, you learn how a professional kitchen works.",
            ),
            pay_pence=1221,
            pay_per="hour",
        ),
    ],
    "Tyne Software House": [
        _offer(
            "work_experience",
            (
                "Games design taster days",
                "Three days making a simple video game with our developers.",
                "No coding experience needed. You take your game home.",
            ),
            travel_paid=True,
        ),
    ],
    "Norfolk Growers": [
        _offer(
            "work_experience",
            (
                "Farm work experience with animals",
                "Feed and look after sheep, cows and chickens on a working farm for two weeks.",
                "Wellies and waterproofs provided. Good for anyone thinking about animal care.",
            ),
            equipment_provided=True,
            travel_paid=True,
        ),
    ],
    "Gwent Motor Group": [
        _offer(
            "traineeship",
            (
                "Van driver traineeship, with your licence paid",
                "We pay for your driving licence and train you to drive our delivery vans.",
                "Driving lessons, your theory and practical tests, then paid work on our delivery rounds.",
            ),
            pay_pence=1221,
            pay_per="hour",
        ),
    ],
    "Cornwall Surf School": [
        _offer(
            "traineeship",
            (
                "Beach lifeguard course",
                "Train as a beach lifeguard and get paid summer work on Cornwall's beaches.",
                "Pool and sea training, first aid, and a lifeguard qualification at the end.",
            ),
            pay_pence=1221,
            pay_per="hour",
        ),
    ],
}
