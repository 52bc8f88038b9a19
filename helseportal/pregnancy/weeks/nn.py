"""The shipped texts of "Svangerskapet veke for veke", weeks 4–42, in nynorsk: a faithful translation of `nb.py`.

Block for block the same as the bokmål original, with the same medical content and nothing added: the same
weeks, paragraphs, lists, numbers (113, 116 117, 11+0–13+6) and advice. Terms as in the portal's nynorsk
catalogue: veke, svangerskapet, jordmor (jordmora), fødeavdelinga, legevakta, sukkerbelasting, SF-mål.
A change to `nb.py` must be made here (and in `en.py`) too.
"""

from helseportal.pregnancy.weeks.base import AT_TERM, FROM_22, FROM_24, UNTIL_22, Notice, WeekText

LANGUAGE = "nn"
INDEX_TITLE = "Svangerskapet veke for veke"
PAGE_TITLE = "Veke {week}"

WEEKS: tuple[WeekText, ...] = (
    WeekText(
        week=4,
        summary=(
            "Kanskje har du nettopp teke ein positiv graviditetstest. Svangerskapet blir rekna frå første dag i siste "
            "menstruasjon, så på papiret har du alt vore gravid i nokre veker."
        ),
        baby=(
            "Det befrukta egget har feste seg i slimhinna i livmora. Det er framleis berre ein liten klump av celler, "
            "men cellene deler seg raskt.",
            "Nokre av cellene skal bli til babyen, andre til morkaka og fosterhinnene som skal verne og gi næring "
            "gjennom heile svangerskapet.",
        ),
        mother=(
            "Det første teiknet er ofte at mensen ikkje kjem. Nokre kjenner seg alt trøytte, har ømme bryst eller må "
            "oftare på do, medan andre ikkje merkar noko enno. Begge delar er vanleg.",
            "Helsestyresmaktene tilrår tilskot av folsyre i starten av svangerskapet, og at du ikkje drikk alkohol. "
            "Røykjer eller snusar du, er det lurt å slutte. Du kan få hjelp til det hos fastlegen, jordmora eller på "
            "apoteket.",
        ),
        consultation=(
            "Det er ingen kontroll enno. Ta kontakt med fastlegen eller jordmora på helsestasjonen for å bestille den "
            "første svangerskapskontrollen. Den skal vere mellom veke 6 og 12.",
            "Svangerskapskontrollane er gratis. Du vel sjølv om du vil gå til fastlegen, til jordmor eller til begge.",
        ),
    ),
    WeekText(
        week=5,
        summary="Mange finn ut at dei er gravide rundt no. Inne i livmora skjer det mykje, sjølv om ingenting syner.",
        baby=(
            "Embryoet er framleis svært lite. No byrjar det å danne seg eit røyr som seinare blir til hjernen og "
            "ryggmergen, og hjartet byrjar å ta form.",
            "Folsyre i denne tidlege fasen minskar risikoen for misdanningar i ryggmergen og hjernen. Det er grunnen "
            "til at tilskotet blir tilrådd så tidleg.",
        ),
        mother=(
            "Hormona i kroppen endrar seg raskt. Du kan bli trøytt, kjenne deg kvalm, få spente og ømme bryst eller "
            "merke at humøret svingar meir enn vanleg.",
            "Mange blir òg kvalme av lukter dei elles toler godt, eller får lyst på mat dei vanlegvis ikkje bryr seg "
            "om.",
        ),
        consultation=(
            "Har du ikkje bestilt time til første svangerskapskontroll, kan du gjere det no, hos fastlegen eller "
            "jordmora på helsestasjonen.",
            "Brukar du faste medisinar, bør du snakke med legen om dei så snart som mogleg. Ikkje slutt med ein "
            "medisin på eiga hand utan å ha snakka med lege først.",
        ),
    ),
    WeekText(
        week=6,
        summary="Hjartet har byrja å slå, og for mange kjem kvalmen no.",
        baby=(
            "Rundt denne tida byrjar hjartet å slå, sjølv om det er for tidleg til at du kan høyre det.",
            "Små utposingar som skal bli armar og bein, byrjar å vise seg.",
        ),
        mother=(
            "Kvalme er svært vanleg i første del av svangerskapet, og den kjem ikkje berre om morgonen. Små, hyppige "
            "måltid og litt å drikke jamt gjennom dagen hjelper mange.",
            "Tørre kjeks eller ei brødskive før du står opp kan òg gjere morgonen lettare.",
        ),
        consultation=(
            "Første svangerskapskontroll kan vere frå no og fram til veke 12. Der går jordmor eller lege gjennom "
            "helsa di, tidlegare svangerskap og korleis du har det, og de fyller ut helsekortet for gravide saman.",
            "Helsekortet følgjer deg gjennom heile svangerskapet og viser kva som er gjort ved kvar kontroll.",
        ),
    ),
    WeekText(
        week=7,
        summary="Andletet byrjar å ta form, og mange kjenner seg trøyttare enn nokon gong.",
        baby=(
            "Andletet byrjar så vidt å ta form, med anlegg til auge, nase og munn.",
            "Hjernen veks raskt og deler seg i ulike område.",
        ),
        mother=(
            "Mange er meir slitne enn vanleg dei første vekene. Det er måten kroppen reagerer på alt som skjer, og "
            "det går som regel over etter kvart. Kvil når du kan.",
            "Du kan òg merke at du må oftare på do. Det kjem av at livmora veks og nyrene arbeider meir.",
        ),
        consultation=(
            "Ved første kontroll får du tilbod om blodprøver. Dei viser mellom anna blodtypen din, blodprosenten "
            "(hemoglobin) og om du har infeksjonar som kan smitte til babyen, som hepatitt B, hiv og syfilis.",
            "Skriv gjerne ned spørsmåla dine før timen hos jordmora eller fastlegen, så du hugsar dei.",
        ),
    ),
    WeekText(
        week=8,
        summary="Armar og bein veks, og livmora har byrja å bli større.",
        baby=(
            "Armar og bein blir lengre, og ytst byrjar det å danne seg små plater som skal bli hender og føter.",
            "Embryoet har byrja å røre seg, men det er altfor lite til at du kan kjenne noko.",
        ),
        mother=(
            "Livmora har byrja å vekse, men det syner ikkje på magen enno.",
            "Mange får meir utflod enn før. Det er vanleg så lenge den ikkje luktar vondt, klør eller svir. Gjer den "
            "det, bør du snakke med fastlegen eller jordmora.",
        ),
        consultation=(
            "Har du ikkje hatt første kontroll enno, er det fint å få den i løpet av dei neste vekene.",
            "Kontrollen er eit godt høve til å snakke om kosthald, fysisk aktivitet, alkohol, røyk og snus. Jordmor "
            "og lege spør alle gravide om dette, og dei er der for å hjelpe, ikkje for å dømme.",
        ),
    ),
    WeekText(
        week=9,
        summary="Fingrar og tær er på veg, og du kjenner kanskje at kleda strammar litt.",
        baby=(
            "Fingrar og tær byrjar å skilje seg frå kvarandre.",
            "Dei indre organa, som hjartet, levra og nyrene, held fram med å utvikle seg.",
        ),
        mother=(
            "Blodmengda i kroppen aukar gjennom heile svangerskapet. Det kan gjere at du blir svimmel om du reiser "
            "deg fort. Reis deg roleg, og set deg ned om det svartnar for auga.",
            "Brysta veks, og mange treng ein større eller mjukare BH alt no.",
        ),
        consultation=(
            "Ved dei fleste kontrollane måler jordmor eller lege blodtrykket ditt og sjekkar urinen. Målingane frå "
            "dei første kontrollane blir samanlikna med dei du får seinare.",
            "Lurer du på noko mellom kontrollane, kan du ta kontakt med jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=10,
        summary="Dei fleste organa er anlagde. Resten av svangerskapet handlar mest om vekst og mogning.",
        baby=(
            "Frå omtrent no blir embryoet kalla eit foster. Nesten alle organa er anlagde.",
            "Hovudet er framleis stort i høve til resten av kroppen.",
        ),
        mother=(
            "For mange er kvalmen på sitt sterkaste rundt no og dei neste vekene. Det kan hjelpe å ete litt før du "
            "står opp, unngå å bli svolten og ta det med ro når du kan.",
            "Det finst medisinar mot svangerskapskvalme. Spør fastlegen eller apoteket om kvalmen går ut over "
            "kvardagen.",
        ),
        consultation=(
            "Alle gravide får tilbod om ei tidleg ultralydundersøking frå veke 11+0 til 13+6 (frå veke 11 og ut veke "
            "13).",
            "Du får innkalling eller beskjed om korleis du bestiller time. Har du ikkje høyrt noko, kan du spørje "
            "jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=11,
        summary="Mange har tidleg ultralyd rundt no, og kvalmen er ofte på topp.",
        baby=(
            "Fosteret rører seg mykje, sparkar og strekkjer seg, men er framleis så lite at du ikkje kjenner det.",
            "På ultralyd kan du kanskje sjå hjartet slå og babyen røre armar og bein.",
        ),
        mother=(
            "Kvalmen er ofte på topp rundt veke 11, og for mange blir den betre i løpet av dei neste vekene.",
            "Drikk litt og ofte, sjølv om du ikkje klarer å ete så mykje. Klarer du ikkje å halde på væske, eller går "
            "du mykje ned i vekt, skal du kontakte lege.",
        ),
        consultation=(
            "Alle gravide får tilbod om den tidlege ultralydundersøkinga frå veke 11+0 til 13+6. Ho viser mellom anna "
            "om det er eitt eller fleire foster, ho gir ein sikrare termin, og ho kan avdekkje nokre alvorlege "
            "tilstandar hos fosteret.",
            "Terminen frå ultralyd erstattar terminen som er rekna ut frå siste mens. Du bestemmer sjølv om du vil ta "
            "imot tilbodet. Lurer du på kva undersøkinga kan og ikkje kan vise, kan du spørje jordmora eller "
            "fastlegen.",
        ),
    ),
    WeekText(
        week=12,
        summary="Første trimester nærmar seg slutten. For mange blir det litt lettare herifrå.",
        baby=(
            "Fosteret har fått små negler og kan lukke hendene.",
            "Nyrene har byrja å lage urin, som blir ein del av fostervatnet.",
        ),
        mother=(
            "Morkaka tek etter kvart over meir av hormonproduksjonen, og for mange tyder det at kvalmen og "
            "trøyttleiken gradvis blir mindre.",
            "Risikoen for spontanabort er størst heilt tidleg i svangerskapet og blir mindre utover.",
        ),
        consultation=(
            "Har du ikkje hatt tidleg ultralyd enno, er det framleis tid: du kan ta den fram til veke 13+6.",
            "Første svangerskapskontroll bør òg vere gjennomført no. Har du ikkje fått time, ta kontakt med fastlegen "
            "eller helsestasjonen.",
        ),
    ),
    WeekText(
        week=13,
        summary="Andre trimester er like rundt hjørnet, og magen byrjar kanskje å syne.",
        baby=(
            "Fosteret har byrja å svelgje fostervatn, og tarmane øver seg.",
            "Andletet liknar meir og meir på eit lite menneske.",
        ),
        mother=(
            "Mange får meir overskot igjen no. Magen kan byrje å syne, særleg om du har vore gravid før.",
            "Det er vanleg å få tett nase eller naseblod, fordi slimhinnene får meir blod i svangerskapet.",
        ),
        consultation=(
            "Siste dag for tidleg ultralyd er 13+6. Neste faste undersøking er rutineultralyden i veke 17–19.",
            "Har du ein sjukdom som må følgjast opp, eller brukar du medisinar, har du kanskje avtalar hos fastlegen "
            "eller på sjukehuset i tillegg.",
        ),
    ),
    WeekText(
        week=14,
        summary="Du er i andre trimester, den perioden mange synest er den finaste i svangerskapet.",
        baby=(
            "Fosteret veks no raskt i lengd og kan røre musklane i andletet.",
            "På ultralyd kan ein somme gonger sjå at det syg på tommelen.",
        ),
        mother=(
            "Kvalmen har gitt seg for mange, og matlysta kjem tilbake.",
            "Et variert, med grønsaker, frukt, grove kornprodukt og fisk. Mattilsynet og Helsedirektoratet har eigne "
            "råd om kva mat gravide bør vere forsiktige med.",
        ),
        consultation=(
            "Det er ingen fast kontroll denne veka.",
            "Er jobben din fysisk tung, eller er du utsett for noko på jobben som kan skade babyen, kan du snakke med "
            "fastlegen eller jordmora om tilrettelegging.",
        ),
    ),
    WeekText(
        week=15,
        summary="Babyen veks fort, og kroppen din tilpassar seg.",
        baby=(
            "Skjelettet, som til no har vore mjuk brusk, blir gradvis til bein.",
            "Huda er tynn, og blodårene syner gjennom.",
        ),
        mother=(
            "Livmora har vakse opp over bekkenet. Nokre kjenner stikk eller strekk i sida av magen eller i lysken når "
            "dei snur seg eller reiser seg. Det kjem av at leddbanda som held livmora, blir strekte, og er som regel "
            "ufarleg.",
            "Sterke eller vedvarande smerter skal du likevel alltid ta på alvor.",
        ),
        consultation=(
            "Rutineultralyden i veke 17–19 nærmar seg. Dei fleste får innkalling frå sjukehuset.",
            "Har du ikkje høyrt noko, kan jordmora eller fastlegen hjelpe deg.",
        ),
    ),
    WeekText(
        week=16,
        summary="Nokre kjenner dei første små rørslene no, særleg dei som har fødd før.",
        baby=(
            "Babyen rører seg mykje og skiftar stilling ofte.",
            "Har du fødd før, kan du kanskje alt kjenne lette rørsler, som bobler eller kiling i magen. "
            "Førstegongsgravide kjenner det som regel noko seinare.",
        ),
        mother=(
            "Huda kan endre seg. Mange får ei mørk stripe nedover magen, og brystvortene kan bli mørkare.",
            "Dette er vanlege endringar som kjem av hormona, og dei blir som regel bleikare etter fødselen.",
        ),
        consultation=(
            "Neste undersøking er rutineultralyden i veke 17–19.",
            "Tenk gjerne gjennom kva du vil spørje om, og spør jordmora eller fastlegen om du lurer på kva "
            "undersøkinga inneber. Du kan ha med deg partnaren din eller ein annan du ønskjer.",
        ),
    ),
    WeekText(
        week=17,
        summary="Tid for rutineultralyd, og babyen får eit vernande lag på huda.",
        baby=(
            "Babyen får etter kvart eit mjukt, fint hårlag over huda, kalla lanugo.",
            "Eit kvitt, feittaktig lag, fosterfeitt, byrjar òg å danne seg. Det vernar huda mot fostervatnet.",
        ),
        mother=(
            "Magen veks, og du treng kanskje større klede.",
            "Mange søv dårlegare etter kvart som magen blir større. Det kan hjelpe å liggje på sida med ei pute "
            "mellom knea.",
        ),
        consultation=(
            "Alle gravide får tilbod om rutineultralyd i veke 17–19. Undersøkinga ser på korleis babyen veks og "
            "utviklar seg, kvar morkaka ligg og kor mykje fostervatn det er. Terminen blir òg kontrollert.",
            "Du bestemmer sjølv om du vil ha undersøkinga. Har du spørsmål om ho på førehand, kan du snakke med "
            "jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=18,
        summary="Babyen er aktiv og har fått sine eigne fingeravtrykk.",
        baby=(
            "Fingeravtrykka er på plass, og dei er heilt unike.",
            "Babyen kan gjespe, og av og til får den hikke.",
        ),
        mother=(
            "Har du ikkje kjent liv enno, er det heilt vanleg. Mange førstegongsgravide kjenner dei første rørslene "
            "mellom veke 18 og 20, og nokre endå seinare.",
            "Ligg morkaka på framsida av livmora, kan ho dempe rørslene, slik at du kjenner dei seinare.",
        ),
        consultation=(
            "Er du til rutineultralyd denne veka, fortel den som undersøkjer deg, som regel kva dei ser medan du er "
            "der.",
            "Ser dei noko som må undersøkjast nærare, får du vite det og blir tilvist vidare. Spør gjerne om alt du "
            "lurer på, der og då eller seinare hos jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=19,
        summary="Snart halvvegs. Sansane til babyen utviklar seg.",
        baby=(
            "Sansane utviklar seg.",
            "Etter kvart kan babyen oppfatte lydar, som hjarteslaga dine og stemma di.",
        ),
        mother=(
            "Mange får lettare vondt i ryggen no, fordi magen flyttar tyngdepunktet framover og leddbanda blir "
            "mjukare.",
            "Fysisk aktivitet, som gåturar, symjing eller trening tilpassa gravide, er bra for dei fleste. Spør "
            "jordmora om du er usikker på kva som passar for deg.",
        ),
        consultation=(
            "Du bør ha hatt rutineultralyden innan utgangen av veke 19.",
            "Neste kontroll etter ultralyden er i veke 24, hos jordmor eller fastlege. Bestill time om du ikkje har "
            "gjort det.",
        ),
    ),
    WeekText(
        week=20,
        summary="Du er halvvegs i svangerskapet.",
        baby=(
            "Halvvegs! Babyen har periodar der den er aktiv, og periodar med ro.",
            "Mange kjenner at babyen er mest aktiv når dei sjølve kviler.",
        ),
        mother=(
            "No kjenner dei fleste liv. Rørslene er ofte svake og uregelmessige i starten, og det er vanleg at du "
            "ikkje kjenner dei kvar dag enno.",
            "Halvvegs er òg eit godt tidspunkt for å setje seg inn i reglane for foreldrepengar. NAV har informasjon "
            "om dette.",
        ),
        consultation=(
            "Det er ingen fast kontroll denne veka. Neste kontroll er i veke 24.",
            "Frå veke 24 måler jordmor eller lege òg magen din ved kvar kontroll (SF-mål), i tillegg til blodtrykk og "
            "urin.",
        ),
    ),
    WeekText(
        week=21,
        summary="Sparka blir tydelegare, og kanskje kan andre kjenne dei òg.",
        baby=(
            "Babyen har framleis god plass, og snur og vender seg mykje.",
            "Sparka blir kraftigare, og etter kvart kan andre kjenne dei ved å leggje ei hand på magen din.",
        ),
        mother=(
            "Nokre får halsbrann eller sure oppstøyt no. Livmora pressar på magesekken, og hormona får musklane til å "
            "slappe av.",
            "Mindre måltid, og å vente litt med å leggje deg etter at du har ete, kan hjelpe. Apoteket kan gi råd om "
            "middel som er trygge å bruke når du er gravid.",
        ),
        consultation=(
            "Neste kontroll er i veke 24, hos jordmor eller fastlege.",
            "Er du RhD-negativ, får du tilbod om ei blodprøve rundt veke 24 som viser om babyen er RhD-positiv. "
            "Svaret avgjer om du treng ei sprøyte med anti-D i veke 28.",
        ),
    ),
    WeekText(
        week=22,
        summary="Babyen har fått augebryn, og livmora har byrja å øve.",
        baby=(
            "Augeloka er framleis lukka, men auga er ferdig anlagde.",
            "Babyen har fått augebryn og litt hår på hovudet.",
        ),
        mother=(
            "Mange kjenner at magen av og til blir hard og stram i nokre sekund. Det blir kalla kynnarar, og det er "
            "livmora som øver.",
            "Kynnarar er ufarlege så lenge dei er uregelmessige og ikkje gjer vondt. Blir dei regelmessige eller "
            "vonde før veke 37, skal du ringje fødeavdelinga.",
        ),
        consultation=(
            "Det er to veker til neste kontroll.",
            "Skriv gjerne ned korleis du har det og kva du lurer på, så hugsar du det til timen. Treng du å snakke "
            "med nokon før, kan du ta kontakt med jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=23,
        summary="Babyen øver på å puste, og du har kanskje kjent det i ryggen eller bekkenet.",
        baby=(
            "Babyen gjer pusterørsler med brystkassa, sjølv om lungene ikkje er mogne enno.",
            "Lungene er blant dei siste organa som blir ferdige.",
        ),
        mother=(
            "Nokre får vondt i bekkenet, framme ved skambeinet eller bak i korsryggen. Det blir kalla "
            "bekkenleddsmerter og er vanleg.",
            "Ein fysioterapeut kan gi deg øvingar og råd. Jordmora eller fastlegen kan òg hjelpe deg vidare.",
        ),
        consultation=(
            "Neste veke er det kontroll hos jordmor eller fastlege.",
            "Har du målt noko sjølv, til dømes blodtrykket, eller har du spørsmål om kosthald og energi, er det fint "
            "å ha dei klare til timen.",
        ),
    ),
    WeekText(
        week=24,
        summary="Det er tid for kontroll, og frå no blir magen din målt ved kvar kontroll.",
        baby=(
            "Babyen legg på seg og blir gradvis rundare, men har framleis lite feitt under huda.",
            "Babyen kan reagere på høge lydar utanfrå.",
        ),
        mother=(
            "Mange kjenner seg slitne igjen i denne perioden. Det kan ha mange årsaker, mellom anna lite jern i "
            "blodet, som er vanleg når ein er gravid.",
            "Et variert og jernrik mat, som kjøt, fisk, grove kornprodukt, belgfrukter og mørkegrøne grønsaker, "
            "gjerne saman med frukt eller grønsaker med C-vitamin. Snakk med jordmora eller legen før du byrjar med "
            "jerntilskot.",
        ),
        consultation=(
            "Kontrollen i veke 24 er ein av dei faste kontrollane. Dette skjer som regel:",
            (
                "Jordmor eller lege måler blodtrykket ditt og sjekkar urinen.",
                "Dei lyttar på hjartet til babyen og spør om du kjenner liv.",
                "Frå no måler dei symfyse–fundus-målet (SF-mål): avstanden frå skambeinet til toppen av livmora. Måla "
                "blir førte i helsekortet og viser om babyen veks som venta.",
                "Er du RhD-negativ, får du tilbod om ei blodprøve som viser RhD-typen til babyen.",
                "Har du auka risiko for svangerskapsdiabetes, får du tilbod om ei sukkerbelasting før veke 28.",
            ),
            "Har du målt noko sjølv heime, kan du ta med tala, så kan de bruke tida på spørsmåla dine.",
        ),
    ),
    WeekText(
        week=25,
        summary="Babyen samlar feitt under huda, og du merkar kanskje at føtene hovnar opp.",
        baby=(
            "Babyen byrjar å leggje på seg meir feitt. Feittet skal hjelpe babyen å halde varmen etter fødselen.",
            "Huda blir etter kvart mindre gjennomsiktig.",
        ),
        mother=(
            "Det er vanleg å bli litt hoven i føtene og anklane, særleg mot kvelden og når det er varmt.",
            "Blir du brått hoven, særleg i andletet eller på hendene, eller kjem det saman med hovudverk eller "
            "synsforstyrringar, skal du derimot ta det på alvor. Det kan vere teikn på svangerskapsforgifting, og då "
            "skal du ringje fødeavdelinga med ein gong.",
        ),
        consultation=(
            "Mellom veke 24 og 28 får gravide med auka risiko for svangerskapsdiabetes tilbod om ei sukkerbelasting. "
            "Du møter fastande, tek ei blodprøve, drikk ei sukkerløysing og tek ei ny blodprøve etter to timar.",
            "Om du høyrer til ei gruppe med auka risiko, kjem mellom anna an på alder, vekt, tidlegare svangerskap, "
            "om nokon i familien har diabetes, og kva del av verda du har bakgrunn frå. Jordmora eller legen vurderer "
            "det saman med deg.",
        ),
    ),
    WeekText(
        week=26,
        summary="Babyen opnar snart auga, og du søv kanskje dårlegare.",
        baby=(
            "Rundt denne tida, eller litt seinare, byrjar babyen å opne auga.",
            "Babyen kan etter kvart skilje mellom lys og mørke.",
        ),
        mother=(
            "Det kan bli vanskelegare å finne ei god stilling å sove i. Mange har det best på sida, med ei pute under "
            "magen og ei mellom knea.",
            "Krampar i leggane, særleg om natta, er òg vanleg. Å tøye leggen kan hjelpe.",
        ),
        consultation=(
            "Neste faste kontroll er i veke 28. Har du fått tilbod om sukkerbelasting, skal den som regel takast før "
            "det.",
            "Er det noko som uroar deg, treng du ikkje vente til kontrollen. Ring jordmora eller fastlegen.",
        ),
    ),
    WeekText(
        week=27,
        summary="Siste veke i andre trimester. Babyen har fått sitt eige mønster av søvn og aktivitet.",
        baby=(
            "Babyen har fått tydelegare periodar der den søv, og periodar der den er vaken.",
            "Mange gravide merkar at babyen har eit eige mønster, til dømes at den er aktiv på bestemte tider av "
            "døgnet.",
        ),
        mother=(
            "Bli kjend med korleis akkurat din baby rører seg. Det finst ikkje eit bestemt tal spark som er rett. Du "
            "lærer mønsteret, og det er endringar i mønsteret du skal ta på alvor.",
            "Huda på magen blir strekt, og nokre får strekkmerke. Dei blir som regel lysare etter fødselen.",
        ),
        consultation=(
            "Kontrollen i veke 28 nærmar seg. Veit du ikkje blodtypen din, står den i helsekortet, eller du kan "
            "spørje jordmora eller fastlegen.",
            "Er du RhD-negativ og babyen er RhD-positiv, får du då tilbod om ei sprøyte med anti-D. Ho hindrar at "
            "kroppen din lagar antistoff mot blodet til babyen.",
        ),
    ),
    WeekText(
        week=28,
        summary="Tredje trimester byrjar, og det er tid for kontroll.",
        baby=(
            "Babyen brukar no mykje av tida på å vekse og leggje på seg.",
            "Lungene og hjernen held fram med å modnast.",
        ),
        mother=(
            "Du er i tredje trimester, den siste delen av svangerskapet.",
            "Mange blir meir andpustne, fordi livmora pressar opp mot mellomgolvet. Ta pausar, og ta det roligare i "
            "bakkar og trapper.",
        ),
        consultation=(
            "Kontrollen i veke 28 er ein fast kontroll. Dette skjer som regel:",
            (
                "Blodtrykk, urin og SF-mål blir målte.",
                "Jordmor eller lege lyttar på hjartet til babyen og spør om rørsler.",
                "Mange får teke ei ny blodprøve for å sjekke blodprosenten.",
                "Er du RhD-negativ og babyen RhD-positiv, får du tilbod om anti-D.",
            ),
        ),
    ),
    WeekText(
        week=29,
        summary="Babyen sparkar kraftig og har mindre plass enn før.",
        baby=(
            "Babyen fyller meir av livmora no. Du kjenner kanskje tydelege spark mot ribbeina eller blæra.",
            "Små, rytmiske rykk kan vere hikke. Det er heilt vanleg og ufarleg.",
        ),
        mother=(
            "Mange må tisse oftare igjen, fordi babyen pressar på blæra. Nokre får små urinlekkasjar når dei hostar, "
            "ler eller løftar.",
            "Knipeøvingar for bekkenbotnen hjelper både no og etter fødselen. Jordmora eller ein fysioterapeut kan "
            "vise deg korleis du gjer dei.",
        ),
        consultation=(
            "Neste faste kontroll er i veke 32.",
            "Har du svangerskapsdiabetes, høgt blodtrykk eller noko anna som det må følgjast med på, har du kanskje "
            "ekstra kontrollar. Følg planen du har fått, og spør jordmora eller legen om noko er uklart.",
        ),
    ),
    WeekText(
        week=30,
        summary="Ti veker igjen til termin, og mange byrjar å tenkje på fødselen.",
        baby=(
            "Babyen legg no på seg mykje, og brukar opp meir og meir av plassen.",
            "Hjernen veks raskt og får fleire faldar.",
        ),
        mother=(
            "Mange tenkjer meir på fødselen og tida etterpå. Det er vanleg å kjenne både glede og uro.",
            "Snakk gjerne med partnaren din, vener eller jordmora om tankane dine. Er du mykje nedfor eller "
            "engsteleg, sei frå til jordmora eller legen. Du kan få hjelp.",
        ),
        consultation=(
            "Det er to veker til neste kontroll i veke 32.",
            "Tenk gjerne over kva du vil snakke om, til dømes fødselen, amming eller korleis du har det. Mange "
            "sjukehus har òg kurs eller informasjon om fødselen.",
        ),
    ),
    WeekText(
        week=31,
        summary="Babyen øver på det den treng etter fødselen.",
        baby=(
            "Babyen øver på dugleikar den treng når den er fødd, som å suge, svelgje og gjere pusterørsler.",
            "Lyd, lys og berøring utanfrå blir ein del av kvardagen i magen.",
        ),
        mother=(
            "Halsbrann, forstopping og hemoroidar er plager mange får seint i svangerskapet.",
            "Mat med mykje fiber, nok å drikke og dagleg rørsle hjelper mot forstopping. Apoteket kan gi råd om kva "
            "som er trygt å bruke.",
        ),
        consultation=(
            "Neste veke er det fast kontroll hos jordmor eller fastlege.",
            "Lurer du på svar på prøver du har teke, til dømes sukkerbelasting eller blodprosent, kan du spørje om "
            "dei då.",
        ),
    ),
    WeekText(
        week=32,
        summary="Kontroll igjen, og kanskje ligg babyen alt med hovudet ned.",
        baby=(
            "Mange babyar har snudd seg med hovudet ned no, men mange har ikkje gjort det enno.",
            "Det er god tid. Dei fleste snur seg før fødselen.",
        ),
        mother=(
            "Kroppen førebur seg på amming, og hos nokre kjem det litt råmjølk frå brysta.",
            "Det er normalt, og det er like normalt ikkje å merke noko.",
        ),
        consultation=(
            "Kontrollen i veke 32 er ein fast kontroll med blodtrykk, urin, SF-mål og hjartelyden til babyen.",
            "Det er òg eit godt høve til å snakke om fødselen, kvar du skal føde, og om amming. Veit du ikkje kva "
            "fødeavdeling du skal til, eller korleis du kontaktar avdelinga, spør jordmora eller fastlegen no.",
        ),
    ),
    WeekText(
        week=33,
        summary="Skjelettet blir hardare, men hovudskallen held seg mjuk.",
        baby=(
            "Skjelettet blir hardare, men beina i hovudskallen er ikkje vaksne saman.",
            "Det gjer at hovudet kan tilpasse seg under fødselen.",
        ),
        mother=(
            "Mange kjenner seg tunge og treng meir kvile. Lytt til kroppen og ta pausar.",
            "Er du i jobb og det blir for tungt, kan du snakke med fastlegen om tilrettelegging eller sjukmelding.",
        ),
        consultation=(
            "Neste faste kontroll er i veke 36. Skriv gjerne ned kva du vil snakke om.",
            "Kjenner du mindre liv eller har teikn på fare, skal du ikkje vente til kontrollen. Ring fødeavdelinga "
            "med ein gong.",
        ),
    ),
    WeekText(
        week=34,
        summary="Rørslene kjennest annleis, men babyen skal ikkje røre seg mindre.",
        baby=(
            "Lungene mognar vidare.",
            "Babyen legg framleis på seg feitt, og huda blir glattare.",
        ),
        mother=(
            "Du kan kjenne at babyen rører seg annleis enn før, med meir strekking og vriing og færre store spark, "
            "fordi plassen blir mindre.",
            "Babyen skal likevel ikkje røre seg mindre. Det er mengda og mønsteret du skal følgje med på.",
        ),
        consultation=(
            "Det er to veker til kontrollen i veke 36.",
            "No er det ei god tid for å førebu seg: pakke det du vil ha med, og finne ut når fødeavdelinga vil at du "
            "ringjer. Mange fødeavdelingar har informasjon om dette på nettsidene sine, og jordmora kan hjelpe deg "
            "med resten.",
        ),
    ),
    WeekText(
        week=35,
        summary="Det nærmar seg, og mange byrjar å førebu seg praktisk.",
        baby=(
            "Babyen har lite plass og ligg meir samankrølla.",
            "Neglene har vakse heilt ut til fingertuppane.",
        ),
        mother=(
            "Hos mange førstegongsgravide søkk babyen ned i bekkenet dei siste vekene før fødselen.",
            "Det kan gjere det lettare å puste, men gi meir trykk nedover og fleire turar på do.",
        ),
        consultation=(
            "Neste veke er det fast kontroll. Då sjekkar jordmor eller lege mellom anna korleis babyen ligg.",
            "Tenk gjerne gjennom korleis du kjem deg til fødeavdelinga, og kven som skal vere med deg.",
        ),
    ),
    WeekText(
        week=36,
        summary="Kontroll der jordmor eller lege kjenner etter korleis babyen ligg.",
        baby=(
            "Dei fleste babyar ligg no med hovudet ned.",
            "Babyen held fram med å leggje på seg heilt fram til fødselen.",
        ),
        mother=(
            "Mange kjenner fleire kynnarar no. Dei kan vere ubehagelege, men er vanlegvis uregelmessige og gir seg "
            "når du kviler.",
            "Rier som kjem regelmessig, blir sterkare og kjem tettare, kan tyde at fødselen er i gang. Før veke 37 "
            "skal du då ringje fødeavdelinga med ein gong.",
        ),
        consultation=(
            "Kontrollen i veke 36 er ein fast kontroll. Dette skjer som regel:",
            (
                "Blodtrykk, urin, SF-mål og hjartelyden til babyen.",
                "Jordmor eller lege kjenner etter korleis babyen ligg (leie). Ligg babyen med setet ned, snakkar dei "
                "med deg om kva det tyder og kva som er planen vidare.",
                "Jordmor eller lege spør deg om røyk, snus og alkohol igjen, slik helsekortet har plass til.",
            ),
        ),
    ),
    WeekText(
        week=37,
        summary="Frå no blir babyen rekna som fullboren.",
        baby=(
            "Frå veke 37 blir babyen rekna som fullboren og er klar for livet utanfor magen.",
            "Den held likevel fram med å leggje på seg og modnast fram til fødselen.",
        ),
        mother=(
            "Fødselen kan starte når som helst frå no. Teikn på at den nærmar seg, kan vere at slimproppen losnar, at "
            "du får regelmessige rier, eller at vatnet går.",
            "Fødeavdelinga hjelper deg å vurdere når du skal kome inn.",
        ),
        consultation=(
            "Neste faste kontroll er i veke 38, hos jordmor eller fastlege.",
            "Har du fått ein eigen plan frå sjukehuset, til dømes fordi babyen ligg med setet ned eller du har ein "
            "sjukdom som må følgjast opp, følgjer du den.",
        ),
    ),
    WeekText(
        week=38,
        summary="Kontroll igjen. Babyen er klar, og du blir det snart òg.",
        baby=(
            "Babyen har mista mykje av lanugohåret, og det er mindre fosterfeitt enn før.",
            "Mange babyar har likevel litt fosterfeitt på huda når dei blir fødde.",
        ),
        mother=(
            "Mange er utolmodige og slitne no. Prøv å kvile, et og drikk jamleg og gjer ting du har glede av.",
            "Har du spørsmål om fødselen eller smertelindring, er det fint å ta dei opp med jordmora.",
        ),
        consultation=(
            "Kontrollen i veke 38 er ein fast kontroll med blodtrykk, urin, SF-mål og hjartelyden til babyen.",
            "Jordmor eller lege sjekkar igjen korleis babyen ligg, og de kan snakke om tida rundt fødselen og dei "
            "første dagane etterpå.",
        ),
    ),
    WeekText(
        week=39,
        summary="Det er berre dagar eller nokre få veker igjen.",
        baby=(
            "Babyen øver framleis på å puste, svelgje og suge.",
            "Tarmen inneheld den første avføringa til babyen, mekonium. Den kjem vanlegvis dei første dagane etter "
            "fødselen.",
        ),
        mother=(
            "Det er vanleg å få meir utflod no, og slimproppen kan losne, somme gonger med litt blod i.",
            "Det er eit teikn på at livmorhalsen førebur seg, men fødselen kan likevel vere dagar unna.",
        ),
        consultation=(
            "Neste faste kontroll er i veke 40, rundt termin.",
            "Startar fødselen før det, ringjer du fødeavdelinga. Lurer du på noko før det, kan du ringje jordmora "
            "eller fastlegen.",
        ),
    ),
    WeekText(
        week=40,
        summary="Terminveka. Få babyar blir fødde akkurat på termindatoen.",
        baby=(
            "Babyen er klar for å bli fødd.",
            "Termindatoen er eit overslag. Det er heilt normalt å føde både nokre veker før og ei stund etter den.",
        ),
        mother=(
            "Terminen er rekna ut frå første dag i siste mens, eller frå ultralyd. Mange går over termin, særleg dei "
            "som føder for første gong.",
            "Du kan vere aktiv som vanleg medan du ventar.",
        ),
        consultation=(
            "Kontrollen i veke 40 er ein fast kontroll med dei vanlege målingane.",
            "Har du ikkje fødd når du er ei veke over termin, får du tilbod om ein ny kontroll i veke 41, ofte på "
            "sjukehuset. Jordmora eller legen fortel deg korleis du får time.",
        ),
    ),
    WeekText(
        week=41,
        summary="Over termin. No får du ein ekstra kontroll.",
        baby=(
            "Babyen held fram med å vekse litt.",
            "Fordi svangerskapet har vart lenge, følgjer helsepersonellet ekstra godt med på at babyen har det bra.",
        ),
        mother=(
            "Det kan vere tungt å vente, og mange blir spurde heile tida om babyen har kome. Det er lov å trekkje seg "
            "litt tilbake.",
            "Hald fram med å kjenne etter at babyen rører seg som vanleg.",
        ),
        consultation=(
            "Går du over termin, får du time til kontroll rundt veke 41, ofte på fødeavdelinga.",
            "Der undersøkjer dei korleis du og babyen har det, og de lagar saman ein plan for vidare oppfølging, også "
            "for om og når fødselen skal setjast i gang. Lurer du på noko før timen, kan du ringje fødeavdelinga "
            "eller spørje jordmora.",
        ),
    ),
    WeekText(
        week=42,
        summary="Dei aller fleste har fødd no. Har ikkje du det, følgjer sjukehuset deg tett.",
        baby=(
            "Babyen er klar for å bli fødd.",
            "Når svangerskapet har vart lenge, kan huda vere litt tørr og flassete dei første dagane. Det går over av "
            "seg sjølv.",
        ),
        mother=(
            "Har du ikkje fødd enno, har du truleg ein avtale med sjukehuset om oppfølging eller om å setje i gang "
            "fødselen. Følg den planen.",
            "Ring fødeavdelinga om du lurer på noko.",
        ),
        consultation=(
            "Det er ingen fast kontroll i den nasjonale planen etter veke 41, fordi sjukehuset følgjer deg etter ein "
            "eigen plan.",
            "Etter fødselen får du og babyen oppfølging frå helsestasjonen, og du får tilbod om ein kontroll hos "
            "jordmor eller fastlege nokre veker etter fødselen.",
        ),
    ),
)

# Added under their own headings to the mother section of the weeks they name.
NOTICES: tuple[Notice, ...] = (
    Notice(
        heading="Når du bør ta kontakt",
        text=(
            "Kontakt fastlegen eller legevakta (116 117) dersom du blør frå skjeden, får feber, eller kastar opp så "
            "mykje at du ikkje klarer å halde på mat og drikke. Har du sterke smerter i magen, eller blør du mykje, "
            "skal du ta kontakt med ein gong. Ring 113 om det hastar."
        ),
        weeks=UNTIL_22,
    ),
    Notice(
        heading="Ring fødeavdelinga med ein gong",
        text=(
            "Ring fødeavdelinga med ein gong dersom du blør frå skjeden, får sterke smerter i magen, kraftig "
            "hovudverk, synsforstyrringar som flimring eller tåkesyn, feber, eller regelmessige rier før veke 37, og "
            "dersom du trur vatnet har gått. Ved krampar eller medvitsløyse: ring 113. Er du usikker på kvar du skal "
            "ringje, kan du ringje legevakta på 116 117."
        ),
        weeks=FROM_22,
    ),
    Notice(
        heading="Ring fødeavdelinga med ein gong",
        text=(
            "Ring fødeavdelinga med ein gong dersom du blør frå skjeden, får sterke smerter i magen som ikkje går "
            "over mellom riene, kraftig hovudverk, synsforstyrringar som flimring eller tåkesyn, eller feber. Ring òg "
            "når vatnet går, eller når du trur fødselen er i gang. Ved krampar eller medvitsløyse: ring 113."
        ),
        weeks=AT_TERM,
    ),
    Notice(
        heading="Kjenner du mindre liv?",
        text=(
            "Kjenner du at babyen rører seg mindre enn vanleg, eller at rørslene har endra seg, skal du kontakte "
            "fødeavdelinga med ein gong. Ikkje vent til neste kontroll, og ikkje vent til neste dag. Det er ikkje "
            "rett at babyen skal røre seg mindre mot slutten av svangerskapet."
        ),
        weeks=FROM_24,
    ),
)
