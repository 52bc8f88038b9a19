"""The shipped texts of "Pregnancy week by week", weeks 4–42, in English: a faithful translation of `nb.py`.

Block for block the same as the bokmål original, with the same medical content and nothing added. Terms as in
the portal's English catalogue: midwife (jordmor), GP (fastlege), maternity ward (fødeavdeling), the
out-of-hours medical service (legevakt), antenatal check-up, symphysis-fundal height (SF-mål). Norwegian
names that a reader needs to recognise (legevakt, snus, NAV, Mattilsynet) are kept. A change to `nb.py` must be
made here (and in `nn.py`) too.
"""

from helseportal.pregnancy.weeks.base import AT_TERM, FROM_22, FROM_24, UNTIL_22, Notice, WeekText

LANGUAGE = "en"
INDEX_TITLE = "Pregnancy week by week"
PAGE_TITLE = "Week {week}"

WEEKS: tuple[WeekText, ...] = (
    WeekText(
        week=4,
        summary=(
            "Perhaps you have just had a positive pregnancy test. A pregnancy is counted from the first day of your "
            "last period, so on paper you have already been pregnant for a few weeks."
        ),
        baby=(
            "The fertilised egg has attached itself to the lining of the womb. It is still only a small cluster of "
            "cells, but the cells are dividing fast.",
            "Some of the cells will become the baby, others the placenta and the membranes that will protect and "
            "nourish it throughout the pregnancy.",
        ),
        mother=(
            "The first sign is often a missed period. Some already feel tired, have tender breasts or need to pee "
            "more often, while others notice nothing yet. Both are common.",
            "The health authorities recommend a folic acid supplement at the start of the pregnancy, and that you do "
            "not drink alcohol. If you smoke or use snus, it is a good idea to stop. You can get help with that from "
            "your GP, your midwife or at the pharmacy.",
        ),
        consultation=(
            "There is no check-up yet. Contact your GP or the midwife at the health clinic to book your first "
            "antenatal check-up. It should be between week 6 and 12.",
            "Antenatal check-ups are free. You choose whether to go to your GP, to a midwife, or to both.",
        ),
    ),
    WeekText(
        week=5,
        summary=(
            "Many find out they are pregnant around now. A lot is happening inside the womb, even though nothing shows."
        ),
        baby=(
            "The embryo is still very small. A tube is now starting to form that will later become the brain and the "
            "spinal cord, and the heart is starting to take shape.",
            "Folic acid in this early phase reduces the risk of malformations of the spinal cord and the brain. That "
            "is why the supplement is recommended so early.",
        ),
        mother=(
            "The hormones in your body are changing fast. You may get tired, feel sick, get tight and tender breasts, "
            "or notice that your mood swings more than usual.",
            "Many also feel sick from smells they usually tolerate well, or crave food they do not usually care about.",
        ),
        consultation=(
            "If you have not booked your first antenatal check-up, you can do so now, with your GP or the midwife at "
            "the health clinic.",
            "If you take regular medicines, talk to your doctor about them as soon as possible. Do not stop taking a "
            "medicine on your own without talking to a doctor first.",
        ),
    ),
    WeekText(
        week=6,
        summary="The heart has started to beat, and for many the nausea starts now.",
        baby=(
            "Around this time the heart starts to beat, although it is too early for you to hear it.",
            "Small buds that will become arms and legs are starting to appear.",
        ),
        mother=(
            "Nausea is very common in the first part of pregnancy, and it does not only come in the morning. Small, "
            "frequent meals and a little to drink evenly through the day help many.",
            "Dry crackers or a slice of bread before you get up can also make the morning easier.",
        ),
        consultation=(
            "The first antenatal check-up can be from now until week 12. The midwife or doctor goes through your "
            "health, any earlier pregnancies and how you are, and you fill in the pregnancy health card together.",
            "The health card follows you through the whole pregnancy and shows what was done at each check-up.",
        ),
    ),
    WeekText(
        week=7,
        summary="The face is starting to take shape, and many feel more tired than ever.",
        baby=(
            "The face is just beginning to take shape, with the beginnings of eyes, nose and mouth.",
            "The brain is growing fast and dividing into different areas.",
        ),
        mother=(
            "Many are more tired than usual in the first weeks. It is the body's way of responding to everything that "
            "is happening, and it usually passes after a while. Rest when you can.",
            "You may also notice that you need to pee more often. This is because the womb is growing and the kidneys "
            "are working harder.",
        ),
        consultation=(
            "At the first check-up you will be offered blood tests. They show, among other things, your blood type, "
            "your haemoglobin level and whether you have infections that can pass to the baby, such as hepatitis B, "
            "HIV and syphilis.",
            "It helps to write down your questions before your appointment with the midwife or GP, so you remember "
            "them.",
        ),
    ),
    WeekText(
        week=8,
        summary="Arms and legs are growing, and the womb has started to get bigger.",
        baby=(
            "The arms and legs are getting longer, and at their ends small plates are starting to form that will "
            "become hands and feet.",
            "The embryo has started to move, but it is far too small for you to feel anything.",
        ),
        mother=(
            "The womb has started to grow, but it does not show on your belly yet.",
            "Many get more vaginal discharge than before. That is normal as long as it does not smell bad, itch or "
            "sting. If it does, talk to your GP or midwife.",
        ),
        consultation=(
            "If you have not had your first check-up yet, it is good to have it within the next few weeks.",
            "The check-up is a good chance to talk about diet, physical activity, alcohol, smoking and snus. Midwives "
            "and doctors ask every pregnant woman about this, and they are there to help, not to judge.",
        ),
    ),
    WeekText(
        week=9,
        summary="Fingers and toes are on their way, and you may feel your clothes getting a little tight.",
        baby=(
            "The fingers and toes are starting to separate from each other.",
            "The internal organs, such as the heart, the liver and the kidneys, continue to develop.",
        ),
        mother=(
            "The amount of blood in your body increases throughout the pregnancy. This can make you dizzy if you "
            "stand up quickly. Get up slowly, and sit down if your vision goes dark.",
            "Your breasts are growing, and many already need a bigger or softer bra.",
        ),
        consultation=(
            "At most check-ups the midwife or doctor measures your blood pressure and checks your urine. The "
            "measurements from the first check-ups are compared with the ones you get later.",
            "If you are wondering about anything between check-ups, you can contact your midwife or GP.",
        ),
    ),
    WeekText(
        week=10,
        summary="Most of the organs have formed. The rest of the pregnancy is mostly about growing and maturing.",
        baby=(
            "From about now the embryo is called a fetus. Almost all the organs have formed.",
            "The head is still large compared with the rest of the body.",
        ),
        mother=(
            "For many, the nausea is at its worst around now and in the next few weeks. It can help to eat a little "
            "before you get up, avoid getting hungry and take it easy when you can.",
            "There are medicines for pregnancy sickness. Ask your GP or the pharmacy if the nausea is affecting your "
            "daily life.",
        ),
        consultation=(
            "All pregnant women are offered an early ultrasound scan from week 11+0 to 13+6 (from week 11 to the end "
            "of week 13).",
            "You will get an appointment letter or be told how to book an appointment. If you have not heard "
            "anything, you can ask your midwife or GP.",
        ),
    ),
    WeekText(
        week=11,
        summary="Many have their early ultrasound around now, and the nausea is often at its peak.",
        baby=(
            "The fetus moves a lot, kicking and stretching, but is still so small that you cannot feel it.",
            "On the ultrasound you may be able to see the heart beating and the baby moving its arms and legs.",
        ),
        mother=(
            "The nausea often peaks around week 11, and for many it gets better over the next few weeks.",
            "Drink a little and often, even if you cannot manage to eat much. If you cannot keep fluids down, or you "
            "lose a lot of weight, contact a doctor.",
        ),
        consultation=(
            "The early ultrasound scan is offered to all pregnant women from week 11+0 to 13+6. Among other things, "
            "it shows whether there is one fetus or more, it gives a more accurate due date, and it can detect some "
            "serious conditions in the fetus.",
            "The due date from the ultrasound replaces the due date calculated from your last period. You decide "
            "yourself whether to accept the offer. If you wonder what the scan can and cannot show, you can ask your "
            "midwife or GP.",
        ),
    ),
    WeekText(
        week=12,
        summary="The first trimester is nearly over. For many, things get a little easier from here.",
        baby=(
            "The fetus has small nails and can close its hands.",
            "The kidneys have started to make urine, which becomes part of the amniotic fluid.",
        ),
        mother=(
            "The placenta gradually takes over more of the hormone production, and for many this means that the "
            "nausea and the tiredness slowly ease.",
            "The risk of miscarriage is highest very early in the pregnancy and becomes smaller as it goes on.",
        ),
        consultation=(
            "If you have not had the early ultrasound yet, there is still time: it is done until week 13+6.",
            "Your first antenatal check-up should also have taken place by now. If you have not got an appointment, "
            "contact your GP or the health clinic.",
        ),
    ),
    WeekText(
        week=13,
        summary="The second trimester is just around the corner, and your bump may start to show.",
        baby=(
            "The fetus has started to swallow amniotic fluid, and the bowels are practising.",
            "The face looks more and more like a little human.",
        ),
        mother=(
            "Many get more energy again now. Your bump may start to show, especially if you have been pregnant before.",
            "It is common to get a blocked nose or nosebleeds, because the mucous membranes get more blood during "
            "pregnancy.",
        ),
        consultation=(
            "The last day for the early ultrasound is 13+6. The next regular scan is the routine ultrasound in week "
            "17–19.",
            "If you have an illness that needs follow-up, or you take medicines, you may also have appointments with "
            "your GP or at the hospital.",
        ),
    ),
    WeekText(
        week=14,
        summary="You are in the second trimester, the period many find the best part of pregnancy.",
        baby=(
            "The fetus is now growing fast in length and can move the muscles in its face.",
            "On ultrasound you can sometimes see it sucking its thumb.",
        ),
        mother=(
            "For many the nausea has passed, and the appetite is coming back.",
            "Eat a varied diet, with vegetables, fruit, wholegrain foods and fish. The Norwegian Food Safety "
            "Authority (Mattilsynet) and the Norwegian Directorate of Health (Helsedirektoratet) have their own "
            "advice on which foods pregnant women should be careful with.",
        ),
        consultation=(
            "There is no regular check-up this week.",
            "If your job is physically heavy, or you are exposed to something at work that could harm the baby, you "
            "can talk to your GP or midwife about adjustments at work.",
        ),
    ),
    WeekText(
        week=15,
        summary="The baby is growing fast, and your body is adapting.",
        baby=(
            "The skeleton, which until now has been soft cartilage, is gradually turning into bone.",
            "The skin is thin, and the blood vessels show through it.",
        ),
        mother=(
            "The womb has grown up above the pelvis. Some feel stabbing or pulling in the side of the belly or in the "
            "groin when they turn or stand up. This is because the ligaments that hold the womb are stretching, and "
            "it is usually harmless.",
            "Even so, you should always take strong or lasting pain seriously.",
        ),
        consultation=(
            "The routine ultrasound in week 17–19 is coming up. Most women get an appointment letter from the "
            "hospital.",
            "If you have not heard anything, your midwife or GP can help you.",
        ),
    ),
    WeekText(
        week=16,
        summary="Some feel the first small movements now, especially those who have given birth before.",
        baby=(
            "The baby moves a lot and often changes position.",
            "If you have given birth before, you may already feel light movements, like bubbles or tickling in your "
            "belly. First-time mothers usually feel it somewhat later.",
        ),
        mother=(
            "Your skin may change. Many get a dark line down the belly, and the nipples may get darker.",
            "These are common changes caused by the hormones, and they usually fade after the birth.",
        ),
        consultation=(
            "The next scan is the routine ultrasound in week 17–19.",
            "It helps to think through what you want to ask, and ask your midwife or GP if you wonder what the scan "
            "involves. You can bring your partner or someone else you would like with you.",
        ),
    ),
    WeekText(
        week=17,
        summary="Time for the routine ultrasound, and the baby gets a protective layer on its skin.",
        baby=(
            "Over time the baby gets a soft, fine layer of hair over its skin, called lanugo.",
            "A white, greasy layer, vernix, also starts to form. It protects the skin from the amniotic fluid.",
        ),
        mother=(
            "Your belly is growing, and you may need bigger clothes.",
            "Many sleep worse as the belly gets bigger. It can help to lie on your side with a pillow between your "
            "knees.",
        ),
        consultation=(
            "All pregnant women are offered a routine ultrasound in week 17–19. The scan looks at how the baby is "
            "growing and developing, where the placenta is and how much amniotic fluid there is. The due date is also "
            "checked.",
            "You decide yourself whether to have the scan. If you have questions about it beforehand, you can talk to "
            "your midwife or GP.",
        ),
    ),
    WeekText(
        week=18,
        summary="The baby is active and has its own fingerprints.",
        baby=(
            "The fingerprints are in place, and they are completely unique.",
            "The baby can yawn, and now and then it gets hiccups.",
        ),
        mother=(
            "If you have not felt the baby move yet, that is quite normal. Many first-time mothers feel the first "
            "movements between week 18 and 20, and some even later.",
            "If the placenta lies at the front of the womb, it can dampen the movements, so that you feel them later.",
        ),
        consultation=(
            "If you are having the routine ultrasound this week, the person examining you will usually tell you what "
            "they see while you are there.",
            "If they see something that needs a closer look, you will be told and referred on. Feel free to ask about "
            "anything you wonder about, there and then or later with your midwife or GP.",
        ),
    ),
    WeekText(
        week=19,
        summary="Nearly halfway. The baby's senses are developing.",
        baby=(
            "The senses are developing.",
            "Over time the baby can pick up sounds, such as your heartbeat and your voice.",
        ),
        mother=(
            "Many get back pain more easily now, because the belly moves the centre of gravity forward and the "
            "ligaments get softer.",
            "Physical activity, such as walks, swimming or exercise adapted for pregnancy, is good for most women. "
            "Ask your midwife if you are unsure what suits you.",
        ),
        consultation=(
            "The routine ultrasound should be done by the end of week 19.",
            "The next check-up after the ultrasound is in week 24, with a midwife or GP. Book an appointment if you "
            "have not done so.",
        ),
    ),
    WeekText(
        week=20,
        summary="You are halfway through the pregnancy.",
        baby=(
            "Halfway! The baby has periods when it is active, and periods of rest.",
            "Many notice that the baby is most active when they themselves are resting.",
        ),
        mother=(
            "By now most women feel the baby move. The movements are often weak and irregular at first, and it is "
            "common not to feel them every day yet.",
            "Halfway is also a good time to read up on the rules for parental benefit. NAV has information about this.",
        ),
        consultation=(
            "There is no regular check-up this week. The next check-up is in week 24.",
            "From week 24 the midwife or doctor also measures your belly at every check-up (symphysis-fundal height, "
            "SF), as well as your blood pressure and urine.",
        ),
    ),
    WeekText(
        week=21,
        summary="The kicks are getting clearer, and perhaps others can feel them too.",
        baby=(
            "The baby still has plenty of room, and turns this way and that a lot.",
            "The kicks get stronger, and over time others can feel them by putting a hand on your belly.",
        ),
        mother=(
            "Some get heartburn or acid reflux now. The womb presses on the stomach, and the hormones make the "
            "muscles relax.",
            "Smaller meals, and waiting a while before lying down after you have eaten, can help. The pharmacy can "
            "advise you on remedies that are safe to use when you are pregnant.",
        ),
        consultation=(
            "The next check-up is in week 24, with a midwife or GP.",
            "If you are RhD negative, you will be offered a blood test around week 24 that shows whether the baby is "
            "RhD positive. The result decides whether you need an injection of anti-D in week 28.",
        ),
    ),
    WeekText(
        week=22,
        summary="The baby has eyebrows now, and the womb has started to practise.",
        baby=(
            "The eyelids are still closed, but the eyes have formed.",
            "The baby has eyebrows and a little hair on its head.",
        ),
        mother=(
            "Many feel the belly now and then go hard and tight for a few seconds. These are called Braxton Hicks "
            "contractions, and it is the womb practising.",
            "Braxton Hicks contractions are harmless as long as they are irregular and do not hurt. If they become "
            "regular or painful before week 37, call the maternity ward.",
        ),
        consultation=(
            "There are two weeks until the next check-up.",
            "It helps to write down how you are and what you are wondering about, so you remember it at the "
            "appointment. If you need to talk to someone before then, you can contact your midwife or GP.",
        ),
    ),
    WeekText(
        week=23,
        summary="The baby is practising breathing, and you may have started to feel it in your back or pelvis.",
        baby=(
            "The baby makes breathing movements with its chest, although the lungs are not mature yet.",
            "The lungs are among the last organs to be ready.",
        ),
        mother=(
            "Some get pain in the pelvis, at the front by the pubic bone or at the back in the lower back. This is "
            "called pelvic girdle pain and is common.",
            "A physiotherapist can give you exercises and advice. Your midwife or GP can also help you further.",
        ),
        consultation=(
            "Next week there is a check-up with your midwife or GP.",
            "If you have measured anything yourself, such as your blood pressure, or you have questions about diet "
            "and energy, it is good to have them ready for the appointment.",
        ),
    ),
    WeekText(
        week=24,
        summary="It is time for a check-up, and from now on your belly is measured at every check-up.",
        baby=(
            "The baby is putting on weight and gradually getting rounder, but still has little fat under the skin.",
            "The baby can react to loud sounds from outside.",
        ),
        mother=(
            "Many feel tired again in this period. There can be many reasons, among them too little iron in the "
            "blood, which is common in pregnancy.",
            "Eat a varied, iron-rich diet, such as meat, fish, wholegrain foods, pulses and dark green vegetables, "
            "preferably together with fruit or vegetables that contain vitamin C. Talk to your midwife or doctor "
            "before you start taking an iron supplement.",
        ),
        consultation=(
            "The check-up in week 24 is one of the regular check-ups. This is what usually happens:",
            (
                "The midwife or doctor measures your blood pressure and checks your urine.",
                "They listen to the baby's heart and ask whether you feel the baby move.",
                "From now on they measure the symphysis-fundal height (SF, in Norwegian SF-mål): the distance from "
                "the pubic bone to the top of the womb. The measurements are recorded in the health card and show "
                "whether the baby is growing as expected.",
                "If you are RhD negative, you will be offered a blood test that shows the baby's RhD type.",
                "If you have an increased risk of gestational diabetes, you will be offered a glucose tolerance test "
                "before week 28.",
            ),
            "If you have measured anything yourself at home, you can bring the numbers, so that you can spend the "
            "time on your questions.",
        ),
    ),
    WeekText(
        week=25,
        summary="The baby is storing fat under the skin, and you may notice your feet swelling.",
        baby=(
            "The baby starts to put on more fat. The fat will help the baby keep warm after the birth.",
            "Over time the skin becomes less see-through.",
        ),
        mother=(
            "It is common for your feet and ankles to swell a little, especially towards evening and when it is hot.",
            "Swelling that comes suddenly, especially in the face or hands, or together with a headache or disturbed "
            "vision, must however be taken seriously. It can be a sign of pre-eclampsia, and then you should call the "
            "maternity ward at once.",
        ),
        consultation=(
            "Between week 24 and 28, pregnant women with an increased risk of gestational diabetes are offered a "
            "glucose tolerance test. You come fasting, have a blood test, drink a sugar solution and have another "
            "blood test two hours later.",
            "Whether you belong to a group with increased risk depends on, among other things, your age, your weight, "
            "earlier pregnancies, whether anyone in your family has diabetes, and which part of the world you have "
            "your background from. Your midwife or doctor assesses this together with you.",
        ),
    ),
    WeekText(
        week=26,
        summary="The baby will soon open its eyes, and you may be sleeping worse.",
        baby=(
            "Around this time, or a little later, the baby starts to open its eyes.",
            "Over time the baby can tell light from dark.",
        ),
        mother=(
            "It can get harder to find a good position to sleep in. Many are most comfortable on their side, with a "
            "pillow under the belly and one between the knees.",
            "Cramps in the calves, especially at night, are also common. Stretching the calf can help.",
        ),
        consultation=(
            "The next regular check-up is in week 28. If you have been offered a glucose tolerance test, it should "
            "usually be taken before then.",
            "If something worries you, you do not need to wait for the check-up. Call your midwife or GP.",
        ),
    ),
    WeekText(
        week=27,
        summary="The last week of the second trimester. The baby has its own pattern of sleep and activity.",
        baby=(
            "The baby now has clearer periods of sleep and of being awake.",
            "Many pregnant women notice that the baby has its own pattern, for example that it is active at certain "
            "times of the day.",
        ),
        mother=(
            "Get to know how your own baby moves. There is no set number of kicks that is right. You learn the "
            "pattern, and it is changes in the pattern that you should take seriously.",
            "The skin on your belly is stretched, and some get stretch marks. They usually become paler after the "
            "birth.",
        ),
        consultation=(
            "The check-up in week 28 is coming up. If you do not know your blood type, it is in your health card, or "
            "you can ask your midwife or GP.",
            "If you are RhD negative and the baby is RhD positive, you will then be offered an injection of anti-D. "
            "It stops your body from making antibodies against the baby's blood.",
        ),
    ),
    WeekText(
        week=28,
        summary="The third trimester begins, and it is time for a check-up.",
        baby=(
            "The baby now spends much of its time growing and putting on weight.",
            "The lungs and the brain continue to mature.",
        ),
        mother=(
            "You are in the third trimester, the last part of the pregnancy.",
            "Many get more out of breath, because the womb presses up against the diaphragm. Take breaks, and take it "
            "more slowly on hills and stairs.",
        ),
        consultation=(
            "The check-up in week 28 is a regular check-up. This is what usually happens:",
            (
                "Your blood pressure, urine and symphysis-fundal height (SF) are measured.",
                "The midwife or doctor listens to the baby's heart and asks about movements.",
                "Many have another blood test to check their haemoglobin.",
                "If you are RhD negative and the baby RhD positive, you will be offered anti-D.",
            ),
        ),
    ),
    WeekText(
        week=29,
        summary="The baby is kicking hard and has less room than before.",
        baby=(
            "The baby now fills more of the womb. You may feel clear kicks against your ribs or bladder.",
            "Small, rhythmic jerks can be hiccups. That is quite normal and harmless.",
        ),
        mother=(
            "Many need to pee more often again, because the baby presses on the bladder. Some leak a little urine "
            "when they cough, laugh or lift.",
            "Pelvic floor exercises help both now and after the birth. Your midwife or a physiotherapist can show you "
            "how to do them.",
        ),
        consultation=(
            "The next regular check-up is in week 32.",
            "If you have gestational diabetes, high blood pressure or something else that needs watching, you may "
            "have extra check-ups. Follow the plan you have been given, and ask your midwife or doctor if anything is "
            "unclear.",
        ),
    ),
    WeekText(
        week=30,
        summary="Ten weeks to your due date, and many start to think about the birth.",
        baby=(
            "The baby is now putting on a lot of weight, and using up more and more of the room.",
            "The brain is growing fast and getting more folds.",
        ),
        mother=(
            "Many think more about the birth and the time afterwards. It is common to feel both joy and worry.",
            "Feel free to talk to your partner, friends or your midwife about your thoughts. If you feel very low or "
            "anxious, tell your midwife or doctor. You can get help.",
        ),
        consultation=(
            "There are two weeks until the next check-up in week 32.",
            "Think about what you would like to talk about, for example the birth, breastfeeding or how you are. Many "
            "hospitals also have courses or information about the birth.",
        ),
    ),
    WeekText(
        week=31,
        summary="The baby is practising what it needs after the birth.",
        baby=(
            "The baby practises skills it needs once it is born, such as sucking, swallowing and making breathing "
            "movements.",
            "Sound, light and touch from outside become part of everyday life in the womb.",
        ),
        mother=(
            "Heartburn, constipation and haemorrhoids are complaints many get late in pregnancy.",
            "Food with plenty of fibre, enough to drink and moving every day help against constipation. The pharmacy "
            "can advise you on what is safe to use.",
        ),
        consultation=(
            "Next week there is a regular check-up with your midwife or GP.",
            "If you wonder about the results of tests you have taken, for example the glucose tolerance test or your "
            "haemoglobin, you can ask about them then.",
        ),
    ),
    WeekText(
        week=32,
        summary="Another check-up, and perhaps the baby is already lying head down.",
        baby=(
            "Many babies have turned head down by now, but many have not done so yet.",
            "There is plenty of time. Most turn before the birth.",
        ),
        mother=(
            "Your body is preparing for breastfeeding, and some leak a little colostrum from their breasts.",
            "That is normal, and it is just as normal not to notice anything.",
        ),
        consultation=(
            "The check-up in week 32 is a regular check-up with blood pressure, urine, symphysis-fundal height (SF) "
            "and the baby's heartbeat.",
            "It is also a good chance to talk about the birth, where you will give birth, and about breastfeeding. If "
            "you do not know which maternity ward you will go to, or how to contact it, ask your midwife or GP now.",
        ),
    ),
    WeekText(
        week=33,
        summary="The skeleton is getting harder, but the skull stays soft.",
        baby=(
            "The skeleton is getting harder, but the bones of the skull have not grown together.",
            "This lets the head adapt during the birth.",
        ),
        mother=(
            "Many feel heavy and need more rest. Listen to your body and take breaks.",
            "If you are working and it gets too hard, you can talk to your GP about adjustments at work or sick leave.",
        ),
        consultation=(
            "The next regular check-up is in week 36. It helps to write down what you want to talk about.",
            "If you feel less movement or have danger signs, do not wait for the check-up. Call the maternity ward at "
            "once.",
        ),
    ),
    WeekText(
        week=34,
        summary="The movements feel different, but the baby should not move less.",
        baby=(
            "The lungs keep maturing.",
            "The baby is still putting on fat, and the skin is getting smoother.",
        ),
        mother=(
            "You may feel the baby moving differently than before, with more stretching and twisting and fewer big "
            "kicks, because there is less room.",
            "Even so, the baby should not move less. It is the amount and the pattern of movement you should keep an "
            "eye on.",
        ),
        consultation=(
            "There are two weeks until the check-up in week 36.",
            "Now is a good time to get ready: pack what you want to bring, and find out when the maternity ward wants "
            "you to call. Many maternity wards have information about this on their websites, and your midwife can "
            "help you with the rest.",
        ),
    ),
    WeekText(
        week=35,
        summary="It is getting close, and many start to prepare in practical ways.",
        baby=(
            "The baby has little room and lies more curled up.",
            "The nails have grown right out to the fingertips.",
        ),
        mother=(
            "In many first-time mothers the baby drops down into the pelvis in the last weeks before the birth.",
            "This can make it easier to breathe, but gives more pressure downwards and more trips to the toilet.",
        ),
        consultation=(
            "Next week there is a regular check-up. The midwife or doctor will check, among other things, how the "
            "baby is lying.",
            "Think through how you will get to the maternity ward, and who will be with you.",
        ),
    ),
    WeekText(
        week=36,
        summary="A check-up where the midwife or doctor feels how the baby is lying.",
        baby=(
            "Most babies are now lying head down.",
            "The baby keeps putting on weight right up to the birth.",
        ),
        mother=(
            "Many feel more Braxton Hicks contractions now. They can be uncomfortable, but are usually irregular and "
            "stop when you rest.",
            "Contractions that come regularly, get stronger and come closer together can mean that labour has "
            "started. Before week 37 you should then call the maternity ward at once.",
        ),
        consultation=(
            "The check-up in week 36 is a regular check-up. This is what usually happens:",
            (
                "Blood pressure, urine, symphysis-fundal height (SF) and the baby's heartbeat.",
                "The midwife or doctor feels how the baby is lying (its presentation). If the baby is lying bottom "
                "down, they talk with you about what that means and what the plan is from here.",
                "You are asked about smoking, snus and alcohol again, as the health card has room for.",
            ),
        ),
    ),
    WeekText(
        week=37,
        summary="From now on the baby counts as full term.",
        baby=(
            "From week 37 the baby counts as full term and is ready for life outside the womb.",
            "Even so, it keeps putting on weight and maturing until the birth.",
        ),
        mother=(
            "Labour can start at any time from now. Signs that it is getting close can be that the mucus plug comes "
            "away, that you get regular contractions, or that your waters break.",
            "The maternity ward helps you judge when to come in.",
        ),
        consultation=(
            "The next regular check-up is in week 38, with your midwife or GP.",
            "If the hospital has given you a plan of your own, for example because the baby is lying bottom down or "
            "you have an illness that needs follow-up, follow it.",
        ),
    ),
    WeekText(
        week=38,
        summary="Another check-up. The baby is ready, and soon you will be too.",
        baby=(
            "The baby has lost much of its lanugo hair, and there is less vernix than before.",
            "Still, many babies have a little vernix on their skin when they are born.",
        ),
        mother=(
            "Many feel impatient and tired now. Try to rest, eat and drink regularly and do things you enjoy.",
            "If you have questions about the birth or pain relief, it is good to bring them up with your midwife.",
        ),
        consultation=(
            "The check-up in week 38 is a regular check-up with blood pressure, urine, symphysis-fundal height (SF) "
            "and the baby's heartbeat.",
            "The midwife or doctor checks again how the baby is lying, and you can talk about the time around the "
            "birth and the first days afterwards.",
        ),
    ),
    WeekText(
        week=39,
        summary="There are only days or a few weeks left.",
        baby=(
            "The baby is still practising breathing, swallowing and sucking.",
            "The bowel contains the baby's first stool, meconium. It usually comes in the first days after the birth.",
        ),
        mother=(
            "It is common to have more discharge now, and the mucus plug may come away, sometimes with a little blood "
            "in it.",
            "It is a sign that the cervix is getting ready, but the birth may still be days away.",
        ),
        consultation=(
            "The next regular check-up is in week 40, around your due date.",
            "If labour starts before then, call the maternity ward. If you are wondering about anything before then, "
            "you can call your midwife or GP.",
        ),
    ),
    WeekText(
        week=40,
        summary="The week of your due date. Few babies are born exactly on the due date.",
        baby=(
            "The baby is ready to be born.",
            "The due date is an estimate. It is quite normal to give birth both a few weeks before it and some time "
            "after it.",
        ),
        mother=(
            "The due date is calculated from the first day of your last period, or from the ultrasound. Many go past "
            "their due date, especially those giving birth for the first time.",
            "You can be as active as usual while you wait.",
        ),
        consultation=(
            "The check-up in week 40 is a regular check-up with the usual measurements.",
            "If you have not given birth when you are one week past your due date, you will be offered another "
            "check-up in week 41, often at the hospital. Your midwife or doctor will tell you how to get an "
            "appointment.",
        ),
    ),
    WeekText(
        week=41,
        summary="Past your due date. Now you get an extra check-up.",
        baby=(
            "The baby keeps growing a little.",
            "Because the pregnancy has lasted a long time, the health staff keep an extra close eye on whether the "
            "baby is doing well.",
        ),
        mother=(
            "Waiting can be hard, and many are asked all the time whether the baby has arrived. It is fine to "
            "withdraw a little.",
            "Keep paying attention to whether the baby is moving as usual.",
        ),
        consultation=(
            "If you go past your due date, you get an appointment for a check-up around week 41, often at the "
            "maternity ward.",
            "There they examine how you and the baby are doing, and together you make a plan for further follow-up, "
            "including whether and when labour should be induced. If you are wondering about anything before the "
            "appointment, you can call the maternity ward or ask your midwife.",
        ),
    ),
    WeekText(
        week=42,
        summary="Nearly everyone has given birth by now. If you have not, the hospital follows you closely.",
        baby=(
            "The baby is ready to be born.",
            "When the pregnancy has lasted a long time, the skin may be a little dry and flaky in the first days. "
            "That passes by itself.",
        ),
        mother=(
            "If you have not given birth yet, you probably have an arrangement with the hospital about follow-up or "
            "about inducing labour. Follow that plan.",
            "Call the maternity ward if you are wondering about anything.",
        ),
        consultation=(
            "There is no regular check-up in the national plan after week 41, because the hospital follows you "
            "according to a plan of its own.",
            "After the birth you and the baby get follow-up from the health clinic, and you are offered a check-up "
            "with a midwife or GP a few weeks after the birth.",
        ),
    ),
)

# Added under their own headings to the mother section of the weeks they name.
NOTICES: tuple[Notice, ...] = (
    Notice(
        heading="When to get in touch",
        text=(
            "Contact your GP or the out-of-hours medical service, legevakt (116 117), if you bleed from the vagina, "
            "get a fever, or vomit so much that you cannot keep food and drink down. If you have severe pain in your "
            "abdomen, or you are bleeding heavily, get in touch at once. Call 113 if it is urgent."
        ),
        weeks=UNTIL_22,
    ),
    Notice(
        heading="Call the maternity ward at once",
        text=(
            "Call the maternity ward at once if you bleed from the vagina, or get severe pain in your abdomen, a bad "
            "headache, disturbed vision such as flickering or blurred vision, a fever, or regular contractions before "
            "week 37, and if you think your waters have broken. In case of seizures or unconsciousness: call 113. If "
            "you are unsure where to call, you can call the out-of-hours medical service, legevakt, on 116 117."
        ),
        weeks=FROM_22,
    ),
    Notice(
        heading="Call the maternity ward at once",
        text=(
            "Call the maternity ward at once if you bleed from the vagina, or get severe pain in your abdomen that "
            "does not ease between contractions, a bad headache, disturbed vision such as flickering or blurred "
            "vision, or a fever. Also call when your waters break, or when you think labour has started. In case of "
            "seizures or unconsciousness: call 113."
        ),
        weeks=AT_TERM,
    ),
    Notice(
        heading="Do you feel less movement?",
        text=(
            "If you feel the baby moving less than usual, or that the movements have changed, contact the maternity "
            "ward at once. Do not wait until your next check-up, and do not wait until the next day. It is not true "
            "that the baby should move less towards the end of the pregnancy."
        ),
        weeks=FROM_24,
    ),
)
