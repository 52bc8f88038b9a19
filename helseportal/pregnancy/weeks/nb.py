"""The shipped texts of "Svangerskapet uke for uke", weeks 4–42, in plain bokmål: the original.

This is content, not interface text: it is loaded into Wagtail pages by `loading.load_pregnancy_weeks()`, and
from then on editors own it in /cms/. It is data, so the module is long on purpose.

Rules the texts follow (docs/content.md): plain language, "du" to the pregnant woman; no medical claims beyond
DOMAIN.md §3 (the national guideline IS-2735 schedule, SF-mål from week 24, RhD and anti-D, the glucose test
for risk groups, danger signs, reduced fetal movements) and well-established, uncontroversial facts; no sizes or
weights of the fetus; every week points to the midwife (jordmor) or GP (fastlege) for questions. From week 22
the urgent advice names the birth unit (fødeavdelingen), and from week 24 the advice on reduced movements is
added to every week.

A section is a tuple of blocks: a `str` is a paragraph, a `tuple[str, ...]` a bulleted list. `nn.py` and `en.py`
are translations of this module, block for block: change them together.
"""

from helseportal.pregnancy.weeks.base import AT_TERM, FROM_22, FROM_24, UNTIL_22, Notice, WeekText

LANGUAGE = "nb"
INDEX_TITLE = "Svangerskapet uke for uke"
PAGE_TITLE = "Uke {week}"

WEEKS: tuple[WeekText, ...] = (
    WeekText(
        week=4,
        summary=(
            "Kanskje har du nettopp tatt en positiv graviditetstest. Svangerskapet regnes fra første dag i siste "
            "menstruasjon, så på papiret har du allerede vært gravid i noen uker."
        ),
        baby=(
            "Det befruktede egget har festet seg i slimhinnen i livmoren. Det er fortsatt bare en liten klump av "
            "celler, men cellene deler seg raskt.",
            "Noen av cellene skal bli til babyen, andre til morkaken og fosterhinnene som skal beskytte og gi "
            "næring gjennom hele svangerskapet.",
        ),
        mother=(
            "Det første tegnet er ofte at mensen uteblir. Noen kjenner seg allerede trette, har ømme bryster eller "
            "må oftere på do, mens andre ikke merker noe ennå. Begge deler er vanlig.",
            "Helsemyndighetene anbefaler tilskudd av folsyre i starten av svangerskapet, og at du ikke drikker "
            "alkohol. Røyker eller snuser du, er det lurt å slutte. Du kan få hjelp til det hos fastlegen, "
            "jordmoren eller på apoteket.",
        ),
        consultation=(
            "Det er ingen kontroll ennå. Ta kontakt med fastlegen eller jordmoren på helsestasjonen for å bestille "
            "den første svangerskapskontrollen. Den skal være mellom uke 6 og 12.",
            "Svangerskapskontrollene er gratis. Du velger selv om du vil gå til fastlegen, til jordmor eller til "
            "begge.",
        ),
    ),
    WeekText(
        week=5,
        summary="Mange finner ut at de er gravide rundt nå. Inne i livmoren skjer det mye, selv om ingenting synes.",
        baby=(
            "Embryoet er fortsatt svært lite. Nå begynner det å dannes et rør som senere blir til hjernen og "
            "ryggmargen, og hjertet begynner å ta form.",
            "Folsyre i denne tidlige fasen reduserer risikoen for misdannelser i ryggmargen og hjernen. Det er "
            "grunnen til at tilskuddet anbefales så tidlig.",
        ),
        mother=(
            "Hormonene i kroppen endrer seg raskt. Du kan bli trett, kjenne deg kvalm, få spente og ømme bryster "
            "eller merke at humøret svinger mer enn vanlig.",
            "Mange blir også kvalme av lukter de ellers tåler godt, eller får lyst på mat de vanligvis ikke bryr "
            "seg om.",
        ),
        consultation=(
            "Har du ikke bestilt time til første svangerskapskontroll, kan du gjøre det nå, hos fastlegen eller "
            "jordmoren på helsestasjonen.",
            "Bruker du faste medisiner, bør du snakke med legen om dem så snart som mulig. Ikke slutt med en "
            "medisin på egen hånd uten å ha snakket med lege først.",
        ),
    ),
    WeekText(
        week=6,
        summary="Hjertet har begynt å slå, og for mange kommer kvalmen nå.",
        baby=(
            "Rundt denne tiden begynner hjertet å slå, selv om det er for tidlig til at du kan høre det.",
            "Små utposninger som skal bli armer og ben, begynner å vise seg.",
        ),
        mother=(
            "Kvalme er svært vanlig i første del av svangerskapet, og den kommer ikke bare om morgenen. Små, "
            "hyppige måltider og litt å drikke jevnt gjennom dagen hjelper mange.",
            "Tørre kjeks eller en brødskive før du står opp kan også gjøre morgenen lettere.",
        ),
        consultation=(
            "Første svangerskapskontroll kan være fra nå og frem til uke 12. Der går jordmor eller lege gjennom "
            "helsen din, tidligere svangerskap og hvordan du har det, og dere fyller ut helsekortet for gravide "
            "sammen.",
            "Helsekortet følger deg gjennom hele svangerskapet og viser hva som er gjort ved hver kontroll.",
        ),
    ),
    WeekText(
        week=7,
        summary="Ansiktet begynner å ta form, og mange kjenner seg trøttere enn noen gang.",
        baby=(
            "Ansiktet begynner så vidt å ta form, med anlegg til øyne, nese og munn.",
            "Hjernen vokser raskt og deler seg i ulike områder.",
        ),
        mother=(
            "Mange er mer slitne enn vanlig de første ukene. Det er kroppens måte å reagere på alt som skjer, og "
            "det går som regel over etter hvert. Hvil når du kan.",
            "Du kan også merke at du må oftere på do. Det kommer av at livmoren vokser og nyrene jobber mer.",
        ),
        consultation=(
            "Ved første kontroll får du tilbud om blodprøver. De viser blant annet blodtypen din, blodprosenten "
            "(hemoglobin) og om du har infeksjoner som kan smitte til babyen, som hepatitt B, hiv og syfilis.",
            "Skriv gjerne ned spørsmålene dine før timen hos jordmoren eller fastlegen, så du husker dem.",
        ),
    ),
    WeekText(
        week=8,
        summary="Armer og ben vokser, og livmoren har begynt å bli større.",
        baby=(
            "Armer og ben blir lengre, og ytterst begynner det å danne seg små plater som skal bli hender og føtter.",
            "Embryoet har begynt å bevege seg, men det er altfor lite til at du kan kjenne noe.",
        ),
        mother=(
            "Livmoren har begynt å vokse, men det synes ikke på magen ennå.",
            "Mange får mer utflod enn før. Det er vanlig så lenge den ikke lukter vondt, klør eller svir. Gjør den "
            "det, bør du snakke med fastlegen eller jordmoren.",
        ),
        consultation=(
            "Har du ikke hatt første kontroll ennå, er det fint å få den i løpet av de neste ukene.",
            "Kontrollen er en god anledning til å snakke om kosthold, fysisk aktivitet, alkohol, røyk og snus. "
            "Jordmor og lege spør alle gravide om dette, og de er der for å hjelpe, ikke for å dømme.",
        ),
    ),
    WeekText(
        week=9,
        summary="Fingre og tær er på vei, og du kjenner kanskje at klærne strammer litt.",
        baby=(
            "Fingre og tær begynner å skille seg fra hverandre.",
            "De indre organene, som hjertet, leveren og nyrene, fortsetter å utvikle seg.",
        ),
        mother=(
            "Blodmengden i kroppen øker gjennom hele svangerskapet. Det kan gjøre at du blir svimmel hvis du "
            "reiser deg fort. Reis deg rolig, og sett deg ned hvis det svartner for øynene.",
            "Brystene vokser, og mange trenger en større eller mykere BH allerede nå.",
        ),
        consultation=(
            "Ved de fleste kontrollene måler jordmor eller lege blodtrykket ditt og sjekker urinen. Målingene fra "
            "de første kontrollene blir sammenlignet med dem du får senere.",
            "Lurer du på noe mellom kontrollene, kan du ta kontakt med jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=10,
        summary="De fleste organene er anlagt. Resten av svangerskapet handler mest om vekst og modning.",
        baby=(
            "Fra omtrent nå kalles embryoet et foster. Nesten alle organene er anlagt.",
            "Hodet er fortsatt stort i forhold til resten av kroppen.",
        ),
        mother=(
            "For mange er kvalmen på sitt sterkeste rundt nå og de neste ukene. Det kan hjelpe å spise litt før du "
            "står opp, unngå å bli sulten og ta det med ro når du kan.",
            "Det finnes medisiner mot svangerskapskvalme. Spør fastlegen eller apoteket hvis kvalmen går ut over "
            "hverdagen.",
        ),
        consultation=(
            "Alle gravide får tilbud om en tidlig ultralydundersøkelse fra uke 11+0 til 13+6 (fra uke 11 og ut "
            "uke 13).",
            "Du får innkalling eller beskjed om hvordan du bestiller time. Har du ikke hørt noe, kan du spørre "
            "jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=11,
        summary="Mange har tidlig ultralyd rundt nå, og kvalmen er ofte på topp.",
        baby=(
            "Fosteret beveger seg mye, sparker og strekker seg, men er fortsatt så lite at du ikke kjenner det.",
            "På ultralyd kan du kanskje se hjertet slå og babyen bevege armer og ben.",
        ),
        mother=(
            "Kvalmen er ofte på topp rundt uke 11, og for mange blir den bedre i løpet av de neste ukene.",
            "Drikk litt og ofte, selv om du ikke klarer å spise så mye. Klarer du ikke å holde på væske, eller går "
            "du mye ned i vekt, skal du kontakte lege.",
        ),
        consultation=(
            "Den tidlige ultralydundersøkelsen tilbys alle gravide fra uke 11+0 til 13+6. Den viser blant annet om "
            "det er ett eller flere fostre, den gir en sikrere termin, og den kan avdekke noen alvorlige tilstander "
            "hos fosteret.",
            "Terminen fra ultralyd erstatter terminen som er regnet ut fra siste mens. Du bestemmer selv om du vil "
            "ta imot tilbudet. Lurer du på hva undersøkelsen kan og ikke kan vise, kan du spørre jordmoren eller "
            "fastlegen.",
        ),
    ),
    WeekText(
        week=12,
        summary="Første trimester nærmer seg slutten. For mange blir det litt lettere herfra.",
        baby=(
            "Fosteret har fått små negler og kan lukke hendene.",
            "Nyrene har begynt å lage urin, som blir en del av fostervannet.",
        ),
        mother=(
            "Morkaken tar etter hvert over mer av hormonproduksjonen, og for mange betyr det at kvalmen og "
            "trettheten gradvis blir mindre.",
            "Risikoen for spontanabort er størst helt tidlig i svangerskapet og blir mindre utover.",
        ),
        consultation=(
            "Har du ikke hatt tidlig ultralyd ennå, er det fortsatt tid: den gjøres frem til uke 13+6.",
            "Første svangerskapskontroll bør også være gjennomført nå. Har du ikke fått time, ta kontakt med "
            "fastlegen eller helsestasjonen.",
        ),
    ),
    WeekText(
        week=13,
        summary="Andre trimester er like rundt hjørnet, og magen begynner kanskje å synes.",
        baby=(
            "Fosteret har begynt å svelge fostervann, og tarmene øver seg.",
            "Ansiktet ligner mer og mer på et lite menneske.",
        ),
        mother=(
            "Mange får mer overskudd igjen nå. Magen kan begynne å synes, særlig hvis du har vært gravid før.",
            "Det er vanlig å få tett nese eller neseblod, fordi slimhinnene får mer blod i svangerskapet.",
        ),
        consultation=(
            "Siste dag for tidlig ultralyd er 13+6. Neste faste undersøkelse er rutineultralyden i uke 17–19.",
            "Har du en sykdom som må følges opp, eller bruker du medisiner, har du kanskje avtaler hos fastlegen "
            "eller på sykehuset i tillegg.",
        ),
    ),
    WeekText(
        week=14,
        summary="Du er i andre trimester, den perioden mange synes er den fineste i svangerskapet.",
        baby=(
            "Fosteret vokser nå raskt i lengde og kan bevege musklene i ansiktet.",
            "På ultralyd kan man noen ganger se at det suger på tommelen.",
        ),
        mother=(
            "Kvalmen har gitt seg for mange, og matlysten kommer tilbake.",
            "Spis variert, med grønnsaker, frukt, grove kornprodukter og fisk. Mattilsynet og Helsedirektoratet har "
            "egne råd om hvilken mat gravide bør være forsiktige med.",
        ),
        consultation=(
            "Det er ingen fast kontroll denne uken.",
            "Er jobben din fysisk tung, eller er du utsatt for noe på jobben som kan skade babyen, kan du snakke "
            "med fastlegen eller jordmoren om tilrettelegging.",
        ),
    ),
    WeekText(
        week=15,
        summary="Babyen vokser fort, og kroppen din tilpasser seg.",
        baby=(
            "Skjelettet, som til nå har vært mykt brusk, blir gradvis til bein.",
            "Huden er tynn, og blodårene synes gjennom den.",
        ),
        mother=(
            "Livmoren har vokst opp over bekkenet. Noen kjenner stikk eller strekk i siden av magen eller i lysken "
            "når de snur seg eller reiser seg. Det kommer av at leddbåndene som holder livmoren, strekkes, og er "
            "som regel ufarlig.",
            "Sterke eller vedvarende smerter skal du likevel alltid ta på alvor.",
        ),
        consultation=(
            "Rutineultralyden i uke 17–19 nærmer seg. De fleste får innkalling fra sykehuset.",
            "Har du ikke hørt noe, kan jordmoren eller fastlegen hjelpe deg.",
        ),
    ),
    WeekText(
        week=16,
        summary="Noen kjenner de første små bevegelsene nå, særlig de som har født før.",
        baby=(
            "Babyen beveger seg mye og skifter stilling ofte.",
            "Har du født før, kan du kanskje allerede kjenne lette bevegelser, som bobler eller kiling i magen. "
            "Førstegangsgravide kjenner det som regel noe senere.",
        ),
        mother=(
            "Huden kan forandre seg. Mange får en mørk stripe nedover magen, og brystvortene kan bli mørkere.",
            "Dette er vanlige forandringer som kommer av hormonene, og de blekner som regel etter fødselen.",
        ),
        consultation=(
            "Neste undersøkelse er rutineultralyden i uke 17–19.",
            "Tenk gjerne gjennom hva du vil spørre om, og spør jordmoren eller fastlegen hvis du lurer på hva "
            "undersøkelsen innebærer. Du kan ha med deg partneren din eller en annen du ønsker.",
        ),
    ),
    WeekText(
        week=17,
        summary="Tid for rutineultralyd, og babyen får et beskyttende lag på huden.",
        baby=(
            "Babyen får etter hvert et mykt, fint hårlag over huden, kalt lanugo.",
            "Et hvitt, fettaktig lag, fosterfett, begynner også å dannes. Det beskytter huden mot fostervannet.",
        ),
        mother=(
            "Magen vokser, og du trenger kanskje større klær.",
            "Mange sover dårligere etter hvert som magen blir større. Det kan hjelpe å ligge på siden med en pute "
            "mellom knærne.",
        ),
        consultation=(
            "Alle gravide får tilbud om rutineultralyd i uke 17–19. Undersøkelsen ser på hvordan babyen vokser og "
            "utvikler seg, hvor morkaken ligger og hvor mye fostervann det er. Terminen blir også kontrollert.",
            "Du bestemmer selv om du vil ha undersøkelsen. Har du spørsmål om den på forhånd, kan du snakke med "
            "jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=18,
        summary="Babyen er aktiv og har fått sine egne fingeravtrykk.",
        baby=(
            "Fingeravtrykkene er på plass, og de er helt unike.",
            "Babyen kan gjespe, og av og til får den hikke.",
        ),
        mother=(
            "Har du ikke kjent liv ennå, er det helt vanlig. Mange førstegangsgravide kjenner de første "
            "bevegelsene mellom uke 18 og 20, og noen enda senere.",
            "Ligger morkaken på fremsiden av livmoren, kan den dempe bevegelsene, slik at du kjenner dem senere.",
        ),
        consultation=(
            "Er du til rutineultralyd denne uken, forteller den som undersøker deg, som regel hva de ser mens du er "
            "der.",
            "Ser de noe som må undersøkes nærmere, får du vite det og blir henvist videre. Spør gjerne om alt du "
            "lurer på, der og da eller senere hos jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=19,
        summary="Snart halvveis. Babyens sanser utvikler seg.",
        baby=(
            "Sansene utvikler seg.",
            "Etter hvert kan babyen oppfatte lyder, som hjerteslagene dine og stemmen din.",
        ),
        mother=(
            "Mange får lettere vondt i ryggen nå, fordi magen flytter tyngdepunktet fremover og leddbåndene blir "
            "mykere.",
            "Fysisk aktivitet, som gåturer, svømming eller trening tilpasset gravide, er bra for de fleste. Spør "
            "jordmoren hvis du er usikker på hva som passer for deg.",
        ),
        consultation=(
            "Rutineultralyden bør være gjort innen utgangen av uke 19.",
            "Neste kontroll etter ultralyden er i uke 24, hos jordmor eller fastlege. Bestill time hvis du ikke har "
            "gjort det.",
        ),
    ),
    WeekText(
        week=20,
        summary="Du er halvveis i svangerskapet.",
        baby=(
            "Halvveis! Babyen har perioder der den er aktiv, og perioder med ro.",
            "Mange kjenner at babyen er mest aktiv når de selv hviler.",
        ),
        mother=(
            "Nå kjenner de fleste liv. Bevegelsene er ofte svake og uregelmessige i starten, og det er vanlig at "
            "du ikke kjenner dem hver dag ennå.",
            "Halvveis er også et godt tidspunkt for å sette seg inn i reglene for foreldrepenger. NAV har "
            "informasjon om dette.",
        ),
        consultation=(
            "Det er ingen fast kontroll denne uken. Neste kontroll er i uke 24.",
            "Fra uke 24 måler jordmor eller lege også magen din ved hver kontroll (SF-mål), i tillegg til "
            "blodtrykk og urin.",
        ),
    ),
    WeekText(
        week=21,
        summary="Sparkene blir tydeligere, og kanskje kan andre kjenne dem også.",
        baby=(
            "Babyen har fortsatt god plass, og snur og vender seg mye.",
            "Sparkene blir kraftigere, og etter hvert kan andre kjenne dem ved å legge en hånd på magen din.",
        ),
        mother=(
            "Noen får halsbrann eller sure oppstøt nå. Livmoren presser på magesekken, og hormonene får musklene "
            "til å slappe av.",
            "Mindre måltider, og å vente litt med å legge deg etter at du har spist, kan hjelpe. Apoteket kan gi "
            "råd om midler som er trygge å bruke når du er gravid.",
        ),
        consultation=(
            "Neste kontroll er i uke 24, hos jordmor eller fastlege.",
            "Er du RhD-negativ, får du tilbud om en blodprøve rundt uke 24 som viser om babyen er RhD-positiv. "
            "Svaret avgjør om du trenger en sprøyte med anti-D i uke 28.",
        ),
    ),
    WeekText(
        week=22,
        summary="Babyen har fått øyenbryn, og livmoren har begynt å øve.",
        baby=(
            "Øyelokkene er fortsatt lukket, men øynene er ferdig anlagt.",
            "Babyen har fått øyenbryn og litt hår på hodet.",
        ),
        mother=(
            "Mange kjenner at magen av og til blir hard og stram i noen sekunder. Det kalles kynnere, og er "
            "livmoren som øver.",
            "Kynnere er ufarlige så lenge de er uregelmessige og ikke gjør vondt. Blir de regelmessige eller "
            "smertefulle før uke 37, skal du ringe fødeavdelingen.",
        ),
        consultation=(
            "Det er to uker til neste kontroll.",
            "Skriv gjerne ned hvordan du har det og hva du lurer på, så husker du det til timen. Trenger du å "
            "snakke med noen før, kan du ta kontakt med jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=23,
        summary="Babyen øver på å puste, og du har kanskje kjent det i ryggen eller bekkenet.",
        baby=(
            "Babyen gjør pustebevegelser med brystkassen, selv om lungene ikke er modne ennå.",
            "Lungene er blant de siste organene som blir ferdige.",
        ),
        mother=(
            "Noen får vondt i bekkenet, foran ved skambeinet eller bak i korsryggen. Det kalles bekkenleddsmerter "
            "og er vanlig.",
            "En fysioterapeut kan gi deg øvelser og råd. Jordmoren eller fastlegen kan også hjelpe deg videre.",
        ),
        consultation=(
            "Neste uke er det kontroll hos jordmor eller fastlege.",
            "Har du målt noe selv, for eksempel blodtrykket, eller har du spørsmål om kosthold og energi, er det "
            "fint å ha dem klare til timen.",
        ),
    ),
    WeekText(
        week=24,
        summary="Det er tid for kontroll, og fra nå blir magen din målt ved hver kontroll.",
        baby=(
            "Babyen legger på seg og blir gradvis rundere, men har fortsatt lite fett under huden.",
            "Babyen kan reagere på høye lyder utenfra.",
        ),
        mother=(
            "Mange kjenner seg slitne igjen i denne perioden. Det kan ha mange årsaker, blant annet lite jern i "
            "blodet, som er vanlig når man er gravid.",
            "Spis variert og jernrik mat, som kjøtt, fisk, grove kornprodukter, belgfrukter og mørkegrønne "
            "grønnsaker, gjerne sammen med frukt eller grønnsaker med C-vitamin. Snakk med jordmoren eller legen "
            "før du begynner med jerntilskudd.",
        ),
        consultation=(
            "Kontrollen i uke 24 er en av de faste kontrollene. Dette skjer som regel:",
            (
                "Jordmor eller lege måler blodtrykket ditt og sjekker urinen.",
                "De lytter på babyens hjerte og spør om du kjenner liv.",
                "Fra nå måler de symfyse–fundus-målet (SF-mål): avstanden fra skambeinet til toppen av "
                "livmoren. Målene føres i helsekortet og viser om babyen vokser som forventet.",
                "Er du RhD-negativ, får du tilbud om en blodprøve som viser babyens RhD-type.",
                "Har du økt risiko for svangerskapsdiabetes, får du tilbud om en sukkerbelastning før uke 28.",
            ),
            "Har du målt noe selv hjemme, kan du ta med tallene, så kan dere bruke tiden på spørsmålene dine.",
        ),
    ),
    WeekText(
        week=25,
        summary="Babyen samler fett under huden, og du merker kanskje at føttene hovner opp.",
        baby=(
            "Babyen begynner å legge på seg mer fett. Fettet skal hjelpe babyen å holde varmen etter fødselen.",
            "Huden blir etter hvert mindre gjennomsiktig.",
        ),
        mother=(
            "Det er vanlig å bli litt hoven i føttene og anklene, særlig mot kvelden og når det er varmt.",
            "Hevelse som kommer plutselig, særlig i ansiktet eller hendene, eller sammen med hodepine eller "
            "synsforstyrrelser, skal du derimot ta på alvor. Det kan være tegn på svangerskapsforgiftning, og da "
            "skal du ringe fødeavdelingen med en gang.",
        ),
        consultation=(
            "Mellom uke 24 og 28 får gravide med økt risiko for svangerskapsdiabetes tilbud om en sukkerbelastning. "
            "Du møter fastende, tar en blodprøve, drikker en sukkerløsning og tar en ny blodprøve etter to timer.",
            "Om du hører til en gruppe med økt risiko, avhenger blant annet av alder, vekt, tidligere svangerskap, "
            "om noen i familien har diabetes, og hvilken del av verden du har bakgrunn fra. Jordmoren eller legen "
            "vurderer det sammen med deg.",
        ),
    ),
    WeekText(
        week=26,
        summary="Babyen åpner snart øynene, og du sover kanskje dårligere.",
        baby=(
            "Rundt denne tiden, eller litt senere, begynner babyen å åpne øynene.",
            "Babyen kan etter hvert skille mellom lys og mørke.",
        ),
        mother=(
            "Det kan bli vanskeligere å finne en god stilling å sove i. Mange har det best på siden, med en pute "
            "under magen og en mellom knærne.",
            "Kramper i leggene, særlig om natten, er også vanlig. Å tøye leggen kan hjelpe.",
        ),
        consultation=(
            "Neste faste kontroll er i uke 28. Har du fått tilbud om sukkerbelastning, skal den som regel tas før det.",
            "Er det noe som bekymrer deg, trenger du ikke vente til kontrollen. Ring jordmoren eller fastlegen.",
        ),
    ),
    WeekText(
        week=27,
        summary="Siste uke i andre trimester. Babyen har fått sitt eget mønster av søvn og aktivitet.",
        baby=(
            "Babyen har fått tydeligere perioder med søvn og våkenhet.",
            "Mange gravide merker at babyen har et eget mønster, for eksempel at den er aktiv på bestemte tider av "
            "døgnet.",
        ),
        mother=(
            "Bli kjent med hvordan akkurat din baby beveger seg. Det finnes ikke et bestemt antall spark som er "
            "riktig. Du lærer mønsteret, og det er endringer i mønsteret du skal ta på alvor.",
            "Huden på magen strekkes, og noen får strekkmerker. De blir som regel lysere etter fødselen.",
        ),
        consultation=(
            "Kontrollen i uke 28 nærmer seg. Vet du ikke blodtypen din, står den i helsekortet, eller du kan spørre "
            "jordmoren eller fastlegen.",
            "Er du RhD-negativ og babyen er RhD-positiv, får du da tilbud om en sprøyte med anti-D. Den hindrer at "
            "kroppen din lager antistoffer mot babyens blod.",
        ),
    ),
    WeekText(
        week=28,
        summary="Tredje trimester begynner, og det er tid for kontroll.",
        baby=(
            "Babyen bruker nå mye av tiden på å vokse og legge på seg.",
            "Lungene og hjernen fortsetter å modnes.",
        ),
        mother=(
            "Du er i tredje trimester, den siste delen av svangerskapet.",
            "Mange blir mer andpustne, fordi livmoren presser opp mot mellomgulvet. Ta pauser, og ta det roligere "
            "i bakker og trapper.",
        ),
        consultation=(
            "Kontrollen i uke 28 er en fast kontroll. Dette skjer som regel:",
            (
                "Blodtrykk, urin og SF-mål blir målt.",
                "Jordmor eller lege lytter på babyens hjerte og spør om bevegelser.",
                "Mange får tatt en ny blodprøve for å sjekke blodprosenten.",
                "Er du RhD-negativ og babyen RhD-positiv, får du tilbud om anti-D.",
            ),
        ),
    ),
    WeekText(
        week=29,
        summary="Babyen sparker kraftig og har mindre plass enn før.",
        baby=(
            "Babyen fyller mer av livmoren nå. Du kjenner kanskje tydelige spark mot ribbeina eller blæren.",
            "Små, rytmiske rykk kan være hikke. Det er helt vanlig og ufarlig.",
        ),
        mother=(
            "Mange må tisse oftere igjen, fordi babyen presser på blæren. Noen lekker litt urin når de hoster, ler "
            "eller løfter.",
            "Knipeøvelser for bekkenbunnen hjelper både nå og etter fødselen. Jordmoren eller en fysioterapeut kan "
            "vise deg hvordan du gjør dem.",
        ),
        consultation=(
            "Neste faste kontroll er i uke 32.",
            "Har du svangerskapsdiabetes, høyt blodtrykk eller noe annet som må følges med på, har du kanskje "
            "ekstra kontroller. Følg planen du har fått, og spør jordmoren eller legen hvis noe er uklart.",
        ),
    ),
    WeekText(
        week=30,
        summary="Ti uker igjen til termin, og mange begynner å tenke på fødselen.",
        baby=(
            "Babyen legger nå på seg mye, og bruker opp mer og mer av plassen.",
            "Hjernen vokser raskt og får flere folder.",
        ),
        mother=(
            "Mange tenker mer på fødselen og tiden etterpå. Det er vanlig å kjenne både glede og uro.",
            "Snakk gjerne med partneren din, venner eller jordmoren om tankene dine. Er du mye nedfor eller "
            "engstelig, si fra til jordmoren eller legen. Du kan få hjelp.",
        ),
        consultation=(
            "Det er to uker til neste kontroll i uke 32.",
            "Tenk gjerne over hva du vil snakke om, for eksempel fødselen, amming eller hvordan du har det. Mange "
            "sykehus har også kurs eller informasjon om fødselen.",
        ),
    ),
    WeekText(
        week=31,
        summary="Babyen øver på det den trenger etter fødselen.",
        baby=(
            "Babyen øver på ferdigheter den trenger når den er født, som å suge, svelge og gjøre pustebevegelser.",
            "Lyd, lys og berøring utenfra blir en del av hverdagen i magen.",
        ),
        mother=(
            "Halsbrann, forstoppelse og hemoroider er plager mange får sent i svangerskapet.",
            "Mat med mye fiber, nok å drikke og daglig bevegelse hjelper mot forstoppelse. Apoteket kan gi råd om "
            "hva som er trygt å bruke.",
        ),
        consultation=(
            "Neste uke er det fast kontroll hos jordmor eller fastlege.",
            "Lurer du på svar på prøver du har tatt, for eksempel sukkerbelastning eller blodprosent, kan du spørre "
            "om dem da.",
        ),
    ),
    WeekText(
        week=32,
        summary="Kontroll igjen, og kanskje ligger babyen allerede med hodet ned.",
        baby=(
            "Mange babyer har snudd seg med hodet ned nå, men mange har ikke gjort det ennå.",
            "Det er god tid. De fleste snur seg før fødselen.",
        ),
        mother=(
            "Kroppen forbereder seg på amming, og noen lekker litt råmelk fra brystene.",
            "Det er normalt, og det er like normalt ikke å merke noe.",
        ),
        consultation=(
            "Kontrollen i uke 32 er en fast kontroll med blodtrykk, urin, SF-mål og babyens hjertelyd.",
            "Det er også en god anledning til å snakke om fødselen, hvor du skal føde, og om amming. Vet du ikke "
            "hvilken fødeavdeling du skal til, eller hvordan du kontakter den, spør jordmoren eller fastlegen nå.",
        ),
    ),
    WeekText(
        week=33,
        summary="Skjelettet blir hardere, men hodeskallen forblir myk.",
        baby=(
            "Skjelettet blir hardere, men beinene i hodeskallen er ikke vokst sammen.",
            "Det gjør at hodet kan tilpasse seg under fødselen.",
        ),
        mother=(
            "Mange kjenner seg tunge og trenger mer hvile. Lytt til kroppen og ta pauser.",
            "Er du i jobb og det blir for tungt, kan du snakke med fastlegen om tilrettelegging eller sykmelding.",
        ),
        consultation=(
            "Neste faste kontroll er i uke 36. Skriv gjerne ned hva du vil snakke om.",
            "Kjenner du mindre liv eller har tegn på fare, skal du ikke vente til kontrollen. Ring fødeavdelingen "
            "med en gang.",
        ),
    ),
    WeekText(
        week=34,
        summary="Bevegelsene kjennes annerledes, men babyen skal ikke bevege seg mindre.",
        baby=(
            "Lungene modnes videre.",
            "Babyen legger fortsatt på seg fett, og huden blir glattere.",
        ),
        mother=(
            "Du kan kjenne at babyen beveger seg annerledes enn før, med mer strekking og vridning og færre store "
            "spark, fordi plassen blir mindre.",
            "Babyen skal likevel ikke bevege seg mindre. Det er mengden og mønsteret du skal følge med på.",
        ),
        consultation=(
            "Det er to uker til kontrollen i uke 36.",
            "Nå er det en god tid for å forberede seg: pakke det du vil ha med, og finne ut når fødeavdelingen vil "
            "at du ringer. Mange fødeavdelinger har informasjon om dette på nettsidene sine, og jordmoren kan "
            "hjelpe deg med resten.",
        ),
    ),
    WeekText(
        week=35,
        summary="Det nærmer seg, og mange begynner å forberede seg praktisk.",
        baby=(
            "Babyen har lite plass og ligger mer sammenkrøpet.",
            "Neglene har vokst helt ut til fingertuppene.",
        ),
        mother=(
            "Hos mange førstegangsgravide synker babyen ned i bekkenet de siste ukene før fødselen.",
            "Det kan gjøre det lettere å puste, men gi mer trykk nedover og flere turer på do.",
        ),
        consultation=(
            "Neste uke er det fast kontroll. Da sjekker jordmor eller lege blant annet hvordan babyen ligger.",
            "Tenk gjerne gjennom hvordan du kommer deg til fødeavdelingen, og hvem som skal være med deg.",
        ),
    ),
    WeekText(
        week=36,
        summary="Kontroll der jordmor eller lege kjenner etter hvordan babyen ligger.",
        baby=(
            "De fleste babyer ligger nå med hodet ned.",
            "Babyen fortsetter å legge på seg helt frem til fødselen.",
        ),
        mother=(
            "Mange kjenner flere kynnere nå. De kan være ubehagelige, men er vanligvis uregelmessige og gir seg når "
            "du hviler.",
            "Rier som kommer regelmessig, blir sterkere og kommer tettere, kan bety at fødselen er i gang. Før uke "
            "37 skal du da ringe fødeavdelingen med en gang.",
        ),
        consultation=(
            "Kontrollen i uke 36 er en fast kontroll. Dette skjer som regel:",
            (
                "Blodtrykk, urin, SF-mål og babyens hjertelyd.",
                "Jordmor eller lege kjenner etter hvordan babyen ligger (leie). Ligger babyen med setet ned, snakker "
                "de med deg om hva det betyr og hva som er planen videre.",
                "Du blir spurt om røyk, snus og alkohol igjen, slik helsekortet har plass til.",
            ),
        ),
    ),
    WeekText(
        week=37,
        summary="Fra nå regnes babyen som fullbåren.",
        baby=(
            "Fra uke 37 regnes babyen som fullbåren og er klar for livet utenfor magen.",
            "Den fortsetter likevel å legge på seg og modnes frem til fødselen.",
        ),
        mother=(
            "Fødselen kan starte når som helst fra nå. Tegn på at den nærmer seg kan være at slimproppen løsner, at "
            "du får regelmessige rier, eller at vannet går.",
            "Fødeavdelingen hjelper deg å vurdere når du skal komme inn.",
        ),
        consultation=(
            "Neste faste kontroll er i uke 38, hos jordmor eller fastlege.",
            "Har du fått en egen plan fra sykehuset, for eksempel fordi babyen ligger med setet ned eller du har en "
            "sykdom som må følges opp, følger du den.",
        ),
    ),
    WeekText(
        week=38,
        summary="Kontroll igjen. Babyen er klar, og du blir det snart også.",
        baby=(
            "Babyen har mistet mye av lanugohåret, og det er mindre fosterfett enn før.",
            "Mange babyer har likevel litt fosterfett på huden når de blir født.",
        ),
        mother=(
            "Mange er utålmodige og slitne nå. Prøv å hvile, spis og drikk jevnlig og gjør ting du har glede av.",
            "Har du spørsmål om fødselen eller smertelindring, er det fint å ta dem opp med jordmoren.",
        ),
        consultation=(
            "Kontrollen i uke 38 er en fast kontroll med blodtrykk, urin, SF-mål og babyens hjertelyd.",
            "Jordmor eller lege sjekker igjen hvordan babyen ligger, og dere kan snakke om tiden rundt fødselen og "
            "de første dagene etterpå.",
        ),
    ),
    WeekText(
        week=39,
        summary="Det er bare dager eller noen få uker igjen.",
        baby=(
            "Babyen øver fortsatt på å puste, svelge og suge.",
            "Tarmen inneholder babyens første avføring, mekonium. Den kommer vanligvis de første dagene etter "
            "fødselen.",
        ),
        mother=(
            "Det er vanlig å få mer utflod nå, og slimproppen kan løsne, noen ganger med litt blod i.",
            "Det er et tegn på at livmorhalsen forbereder seg, men fødselen kan likevel være dager unna.",
        ),
        consultation=(
            "Neste faste kontroll er i uke 40, rundt termin.",
            "Starter fødselen før det, ringer du fødeavdelingen. Lurer du på noe før det, kan du ringe jordmoren "
            "eller fastlegen.",
        ),
    ),
    WeekText(
        week=40,
        summary="Terminuka. Få babyer blir født akkurat på termindatoen.",
        baby=(
            "Babyen er klar for å bli født.",
            "Termindatoen er et anslag. Det er helt normalt å føde både noen uker før og en stund etter den.",
        ),
        mother=(
            "Terminen er regnet ut fra første dag i siste mens, eller fra ultralyd. Mange går over termin, særlig "
            "de som føder for første gang.",
            "Du kan være aktiv som vanlig mens du venter.",
        ),
        consultation=(
            "Kontrollen i uke 40 er en fast kontroll med de vanlige målingene.",
            "Har du ikke født når du er en uke over termin, får du tilbud om en ny kontroll i uke 41, ofte på "
            "sykehuset. Jordmoren eller legen forteller deg hvordan du får time.",
        ),
    ),
    WeekText(
        week=41,
        summary="Over termin. Nå får du en ekstra kontroll.",
        baby=(
            "Babyen fortsetter å vokse litt.",
            "Fordi svangerskapet har vart lenge, følger helsepersonellet ekstra godt med på at babyen har det bra.",
        ),
        mother=(
            "Det kan være tungt å vente, og mange blir spurt hele tiden om babyen har kommet. Det er lov å trekke "
            "seg litt tilbake.",
            "Fortsett å kjenne etter at babyen beveger seg som vanlig.",
        ),
        consultation=(
            "Går du over termin, får du time til kontroll rundt uke 41, ofte på fødeavdelingen.",
            "Der undersøker de hvordan du og babyen har det, og dere lager sammen en plan for videre oppfølging, "
            "også for om og når fødselen skal settes i gang. Lurer du på noe før timen, kan du ringe fødeavdelingen "
            "eller spørre jordmoren.",
        ),
    ),
    WeekText(
        week=42,
        summary="De aller fleste har født nå. Har ikke du det, følger sykehuset deg tett.",
        baby=(
            "Babyen er klar for å bli født.",
            "Når svangerskapet har vart lenge, kan huden være litt tørr og flassete de første dagene. Det går over "
            "av seg selv.",
        ),
        mother=(
            "Har du ikke født ennå, har du sannsynligvis en avtale med sykehuset om oppfølging eller om å sette i "
            "gang fødselen. Følg den planen.",
            "Ring fødeavdelingen hvis du lurer på noe.",
        ),
        consultation=(
            "Det er ingen fast kontroll i den nasjonale planen etter uke 41, fordi sykehuset følger deg etter en "
            "egen plan.",
            "Etter fødselen får du og babyen oppfølging fra helsestasjonen, og du får tilbud om en kontroll hos "
            "jordmor eller fastlege noen uker etter fødselen.",
        ),
    ),
)

# Added under their own headings to the mother section of the weeks they name.
NOTICES: tuple[Notice, ...] = (
    Notice(
        heading="Når du bør ta kontakt",
        text=(
            "Kontakt fastlegen eller legevakten (116 117) hvis du blør fra skjeden, får feber, eller kaster opp så "
            "mye at du ikke klarer å holde på mat og drikke. Har du sterke smerter i magen, eller blør du mye, skal "
            "du ta kontakt med en gang. Ring 113 hvis det haster."
        ),
        weeks=UNTIL_22,
    ),
    Notice(
        heading="Ring fødeavdelingen med en gang",
        text=(
            "Ring fødeavdelingen med en gang hvis du blør fra skjeden, får sterke smerter i magen, kraftig "
            "hodepine, synsforstyrrelser som flimring eller tåkesyn, feber, eller regelmessige rier før uke 37, og "
            "hvis du tror vannet har gått. Ved kramper eller bevisstløshet: ring 113. Er du usikker på hvor du skal "
            "ringe, kan du ringe legevakten på 116 117."
        ),
        weeks=FROM_22,
    ),
    Notice(
        heading="Ring fødeavdelingen med en gang",
        text=(
            "Ring fødeavdelingen med en gang hvis du blør fra skjeden, får sterke smerter i magen som ikke går over "
            "mellom riene, kraftig hodepine, synsforstyrrelser som flimring eller tåkesyn, eller feber. Ring også "
            "når vannet går, eller når du tror fødselen er i gang. Ved kramper eller bevisstløshet: ring 113."
        ),
        weeks=AT_TERM,
    ),
    Notice(
        heading="Kjenner du mindre liv?",
        text=(
            "Kjenner du at babyen beveger seg mindre enn vanlig, eller at bevegelsene har endret seg, skal du "
            "kontakte fødeavdelingen med en gang. Ikke vent til neste kontroll, og ikke vent til neste dag. Det "
            "er ikke riktig at babyen skal bevege seg mindre mot slutten av svangerskapet."
        ),
        weeks=FROM_24,
    ),
)
