"""Texts of the demo campaigns (Arabic original and English translation).

Built from the initiatives in the source material ("100 Million Healthy Lives" and the
Muscat governorate programmes). Places refer to demo hospitals by code and wards by
their English name. Day offsets are relative to the day the demo is loaded.
The campaigns awaiting translation have Arabic text only: editors make their English.
"""

CAMPAIGNS = [
    {
        "slug": "womens-health",
        "audience": "women",
        "start": -120,
        "end": None,
        "colour": ((176, 42, 90), (250, 214, 226)),
        "shape": "ribbon",
        "tags": ["screening", "breast-cancer", "women"],
        "review": (-60, 120),
        "signoff": "د. هالة عبد الرحيم، استشارية الأورام — Dr Hala Abdel-Rahim, consultant oncologist",
        "places": [
            (
                "karnak",
                "Outpatient clinics",
                "السبت–الخميس 9:00–14:00 | Sat–Thu 9:00–14:00",
            ),
            ("limc", "Oncology", "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00"),
        ],
        "ar": {
            "title": "مبادرة صحة المرأة: الكشف المبكر عن سرطان الثدي",
            "summary": "فحص مجاني لكل سيدة فوق 18 عامًا للكشف المبكر عن سرطان الثدي والأمراض المزمنة في وحدات الرعاية الأولية والمستشفيات.",
            "intro": "<p>الكشف المبكر ينقذ الحياة: معظم حالات سرطان الثدي التي تُكتشف مبكرًا تُشفى تمامًا. تقدم مبادرة رئيس الجمهورية لدعم صحة المرأة فحصًا مجانيًا وسريًا، وتتابع كل سيدة تحتاج إلى فحوص إضافية حتى العلاج.</p>",
            "figures": [
                ("3,538", "وحدة رعاية أولية تقدم الفحص"),
                ("114", "مستشفى للفحوص المتقدمة"),
                ("0", "جنيه: الفحص مجاني"),
            ],
            "who": [
                "كل سيدة مصرية عمرها 18 عامًا فأكثر",
                "السيدات اللاتي لم يُفحصن من قبل",
                "من لاحظت تغيرًا في الثدي في أي عمر",
            ],
            "bring": ["بطاقة الرقم القومي", "أي تقارير أو أشعة سابقة"],
            "do": [
                "افحصي نفسك ذاتيًا مرة كل شهر",
                "احضري المتابعة في موعدها",
                "اسألي الطبيبة عن أي تغير",
            ],
            "dont": [
                "لا تنتظري ظهور الألم",
                "لا تؤجلي الفحص بسبب الخوف",
                "لا تعتمدي على وصفات غير طبية",
            ],
            "faq": [
                (
                    "هل الفحص مؤلم؟",
                    "<p>لا. الفحص الإكلينيكي يستغرق دقائق، وإذا احتجتِ إلى أشعة الماموجرام فقد تشعرين بضغط بسيط لثوانٍ.</p>",
                ),
                (
                    "هل تحتاج السيدة إلى حجز؟",
                    "<p>لا يلزم الحجز، ويمكنك التوجه إلى أقرب وحدة صحية في مواعيد العمل.</p>",
                ),
            ],
            "cta": ("اعرفي أقرب مكان للفحص أو اسألينا", "أرسلي سؤالك"),
        },
        "en": {
            "title": "Women's health: early detection of breast cancer",
            "summary": "Free screening for every woman over 18 for breast cancer and chronic disease, in primary-care units and hospitals.",
            "intro": "<p>Early detection saves lives: most breast cancers found early are cured. The presidential initiative for women's health offers free, confidential screening and follows every woman who needs further tests through to treatment.</p>",
            "figures": [
                ("3,538", "primary-care units offering screening"),
                ("114", "hospitals for further tests"),
                ("0", "pounds: screening is free"),
            ],
            "who": [
                "Every woman aged 18 or over",
                "Women who have never been screened",
                "Anyone who notices a change in the breast, at any age",
            ],
            "bring": ["Your national ID card", "Any earlier reports or scans"],
            "do": [
                "Examine your breasts once a month",
                "Come back for follow-up on time",
                "Ask the doctor about any change",
            ],
            "dont": [
                "Don't wait for pain",
                "Don't put off screening out of fear",
                "Don't rely on non-medical remedies",
            ],
            "faq": [
                (
                    "Does the screening hurt?",
                    "<p>No. The clinical examination takes a few minutes; if you need a mammogram you may feel pressure for a few seconds.</p>",
                ),
                (
                    "Do I need an appointment?",
                    "<p>No appointment is needed: go to the nearest health unit during opening hours.</p>",
                ),
            ],
            "cta": ("Find the nearest screening place or ask us", "Send your question"),
        },
    },
    {
        "slug": "mother-and-fetus",
        "audience": "mothers",
        "start": -200,
        "end": None,
        "colour": ((10, 94, 72), (214, 240, 231)),
        "shape": "circles",
        "tags": ["pregnancy", "antenatal-care", "birth-spacing"],
        "review": (-30, 150),
        "signoff": "د. منى الطيب، استشارية النساء والتوليد — Dr Mona El-Tayeb, consultant obstetrician",
        "places": [
            ("isis", "Labour ward", "على مدار الساعة | 24 hours"),
            ("limc", "Obstetrics", "السبت–الخميس 8:00–15:00 | Sat–Thu 8:00–15:00"),
        ],
        "ar": {
            "title": "صحة الأم والجنين: متابعة الحمل حتى 42 يومًا بعد الولادة",
            "summary": "فحوص مجانية للحوامل تشمل فيروس نقص المناعة والتهاب الكبد B والزهري، ومتابعة الأم والمولود حتى 42 يومًا بعد الولادة، مع المشورة في المباعدة بين الولادات.",
            "intro": "<p>رعاية الحامل من الزيارة الأولى تحمي الأم والجنين. تتابع المبادرة كل حامل بانتظام، وتكتشف مبكرًا الأنيميا وسكر الحمل وارتفاع الضغط، وتقدم المشورة في وسائل المباعدة بين الولادات الخمس.</p>",
            "figures": [
                ("4", "زيارات متابعة على الأقل أثناء الحمل"),
                ("42", "يومًا من المتابعة بعد الولادة"),
                ("5", "وسائل للمباعدة بين الولادات"),
            ],
            "who": ["كل سيدة حامل من الشهر الأول", "الأمهات حتى 42 يومًا بعد الولادة"],
            "bring": [
                "بطاقة الرقم القومي",
                "كارت متابعة الحمل إن وجد",
                "نتائج التحاليل السابقة",
            ],
            "do": [
                "ابدئي المتابعة مبكرًا",
                "تناولي حمض الفوليك والحديد كما وصفت الطبيبة",
                "توجهي فورًا للطوارئ عند النزيف أو الصداع الشديد",
            ],
            "dont": [
                "لا تتناولي أدوية دون استشارة",
                "لا تهملي تورم القدمين المفاجئ",
                "لا تلدي في المنزل دون إشراف طبي",
            ],
            "faq": [
                (
                    "ما وسائل المباعدة المتاحة؟",
                    "<p>خمس وسائل منها الحبوب واللولب والحقن، وتختار الأم مع الطبيبة الأنسب لها بعد الولادة.</p>",
                ),
                ("هل التحاليل مجانية؟", "<p>نعم، جميع تحاليل المبادرة مجانية.</p>"),
            ],
            "cta": ("احجزي زيارة المتابعة الأولى", "تواصلي معنا"),
        },
        "en": {
            "title": "Mother and fetus health: follow-up until 42 days after birth",
            "summary": "Free tests for pregnant women (HIV, hepatitis B, syphilis) and follow-up of mother and newborn until 42 days after birth, with birth-spacing advice.",
            "intro": "<p>Care from the first visit protects mother and baby. The initiative follows every pregnant woman regularly, finds anaemia, gestational diabetes and high blood pressure early, and advises on the five birth-spacing methods.</p>",
            "figures": [
                ("4", "antenatal visits at least"),
                ("42", "days of follow-up after birth"),
                ("5", "birth-spacing methods"),
            ],
            "who": [
                "Every pregnant woman from the first month",
                "Mothers up to 42 days after giving birth",
            ],
            "bring": [
                "Your national ID card",
                "Your antenatal card if you have one",
                "Earlier test results",
            ],
            "do": [
                "Start follow-up early",
                "Take folic acid and iron as prescribed",
                "Go to the emergency department at once for bleeding or a severe headache",
            ],
            "dont": [
                "Don't take medicines without advice",
                "Don't ignore sudden swelling of the feet",
                "Don't give birth at home without medical care",
            ],
            "faq": [
                (
                    "Which birth-spacing methods are offered?",
                    "<p>Five methods including the pill, the IUD and injections; each mother chooses with her doctor after the birth.</p>",
                ),
                (
                    "Are the tests free?",
                    "<p>Yes, every test of the initiative is free.</p>",
                ),
            ],
            "cta": ("Book your first antenatal visit", "Contact us"),
        },
    },
    {
        "slug": "newborn-hearing",
        "audience": "mothers",
        "start": -300,
        "end": None,
        "colour": ((28, 58, 138), (222, 230, 250)),
        "shape": "waves",
        "tags": ["newborns", "hearing", "screening"],
        "review": (-400, -10),
        "signoff": "د. أحمد سليمان، استشاري السمعيات — Dr Ahmed Soliman, consultant audiologist",
        "hotline": "15335",
        "places": [
            ("adaisat", "Paediatrics", "السبت–الخميس 9:00–14:00 | Sat–Thu 9:00–14:00"),
            ("isis", "Neonatal incubators", "على مدار الساعة | 24 hours"),
        ],
        "ar": {
            "title": "الكشف المبكر عن ضعف السمع لحديثي الولادة",
            "summary": "فحص سمع مجاني لكل مولود من اليوم الأول حتى اليوم الثامن والعشرين في نحو 3,500 وحدة صحية. الخط الساخن 15335.",
            "intro": "<p>الطفل الذي يُكتشف ضعف سمعه مبكرًا يتعلم الكلام مثل أقرانه. الفحص بسيط وآمن ويتم والطفل نائم خلال دقائق، ويُحال من يحتاج إلى فحوص إضافية أو سماعات أو زراعة قوقعة.</p>",
            "figures": [
                ("1–28", "يوم: عمر الفحص"),
                ("3,500", "وحدة تقدم الفحص"),
                ("15335", "الخط الساخن"),
            ],
            "who": [
                "كل مولود من اليوم الأول حتى اليوم 28",
                "الأطفال الذين فاتهم الفحص في الشهر الأول",
            ],
            "bring": [
                "شهادة ميلاد الطفل أو إخطار الولادة",
                "بطاقة الرقم القومي للأم أو الأب",
            ],
            "do": [
                "افحصي طفلك قبل أن يتم 28 يومًا",
                "احضري إعادة الفحص إذا طُلب منك",
                "لاحظي استجابة طفلك للأصوات",
            ],
            "dont": [
                "لا تنتظري حتى يتأخر الكلام",
                "لا تقلقي إذا طُلبت إعادة الفحص: كثير من الأطفال يجتازونها",
            ],
            "faq": [
                (
                    "هل الفحص يؤذي الطفل؟",
                    "<p>لا، يوضع مسبار صغير في الأذن لدقائق والطفل نائم.</p>",
                ),
                (
                    "ماذا لو لم يجتز طفلي الفحص؟",
                    "<p>يعاد الفحص بعد أسبوعين، ثم يُحال الطفل إلى مركز متخصص إذا لزم الأمر.</p>",
                ),
            ],
            "cta": ("اتصلوا بالخط الساخن 15335", "اتصل الآن"),
        },
        "en": {
            "title": "Newborn hearing screening",
            "summary": "Free hearing screening for every baby from day 1 to day 28 in about 3,500 health units. Hotline 15335.",
            "intro": "<p>A child whose hearing loss is found early learns to speak like other children. The test is simple and safe, done in minutes while the baby sleeps; babies who need more tests, hearing aids or a cochlear implant are referred.</p>",
            "figures": [
                ("1–28", "days: age for screening"),
                ("3,500", "units offering the test"),
                ("15335", "hotline"),
            ],
            "who": [
                "Every baby from day 1 to day 28",
                "Babies who missed the test in their first month",
            ],
            "bring": [
                "The baby's birth certificate or birth notification",
                "A parent's national ID card",
            ],
            "do": [
                "Have your baby tested before day 28",
                "Come back for a repeat test if asked",
                "Watch how your baby reacts to sounds",
            ],
            "dont": [
                "Don't wait until speech is late",
                "Don't worry if a repeat test is needed: many babies pass it",
            ],
            "faq": [
                (
                    "Does the test hurt the baby?",
                    "<p>No: a small probe rests in the ear for a few minutes while the baby sleeps.</p>",
                ),
                (
                    "What if my baby does not pass?",
                    "<p>The test is repeated after two weeks, then the baby is referred to a specialist centre if needed.</p>",
                ),
            ],
            "cta": ("Call the 15335 hotline", "Call now"),
        },
    },
    {
        "slug": "chronic-and-kidney-disease",
        "audience": "chronic",
        "start": -90,
        "end": 240,
        "colour": ((156, 59, 12), (252, 229, 214)),
        "shape": "drops",
        "tags": ["kidney", "blood-pressure", "screening"],
        "review": (-20, 160),
        "signoff": "د. خالد عبد الله، استشاري أمراض الكلى — Dr Khaled Abdallah, consultant nephrologist",
        "places": [
            ("karnak", "Dialysis unit", "السبت–الخميس 8:00–14:00 | Sat–Thu 8:00–14:00"),
            (
                "taiba",
                "Internal medicine",
                "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00",
            ),
        ],
        "ar": {
            "title": "الأمراض المزمنة والكشف المبكر عن الاعتلال الكلوي",
            "summary": "قياس الضغط والسكر ووظائف الكلى مجانًا لمن تجاوز 18 عامًا، لاكتشاف أمراض الكلى قبل أن تحتاج إلى غسيل.",
            "intro": "<p>أمراض الكلى صامتة في بدايتها. قياس بسيط للضغط وتحليل بول ودم يكشفها مبكرًا، والعلاج المبكر يؤخر الفشل الكلوي أو يمنعه.</p>",
            "figures": [
                ("18+", "سنة: عمر الفحص"),
                ("3", "فحوص: الضغط والسكر ووظائف الكلى"),
            ],
            "who": [
                "مرضى الضغط والسكر",
                "من لديه قريب يغسل الكلى",
                "كل من تجاوز 18 عامًا",
            ],
            "bring": ["بطاقة الرقم القومي", "الأدوية التي تتناولها أو روشتتها"],
            "do": [
                "اشرب كمية كافية من الماء",
                "قلل الملح في الطعام",
                "التزم بمواعيد أدوية الضغط والسكر",
            ],
            "dont": [
                "لا تتناول المسكنات لفترات طويلة دون استشارة",
                "لا توقف العلاج عندما تشعر بتحسن",
            ],
            "faq": [
                (
                    "هل أحتاج إلى الصيام قبل التحليل؟",
                    "<p>لا يلزم الصيام لتحليل وظائف الكلى، لكن يُفضل لتحليل السكر الصائم.</p>",
                )
            ],
            "cta": ("اسأل عن أقرب وحدة فحص", "أرسل استفسارًا"),
        },
        "en": {
            "title": "Chronic diseases and early detection of kidney disease",
            "summary": "Free blood-pressure, blood-sugar and kidney-function checks for everyone over 18, to find kidney disease before dialysis is needed.",
            "intro": "<p>Kidney disease is silent at first. A blood-pressure reading and simple urine and blood tests find it early, and early treatment delays or prevents kidney failure.</p>",
            "figures": [
                ("18+", "years: age for screening"),
                ("3", "checks: blood pressure, sugar, kidney function"),
            ],
            "who": [
                "People with high blood pressure or diabetes",
                "Anyone with a relative on dialysis",
                "Everyone over 18",
            ],
            "bring": ["Your national ID card", "Your medicines or prescription"],
            "do": [
                "Drink enough water",
                "Use less salt",
                "Take blood-pressure and diabetes medicines on time",
            ],
            "dont": [
                "Don't take painkillers for long without advice",
                "Don't stop treatment when you feel better",
            ],
            "faq": [
                (
                    "Do I need to fast before the test?",
                    "<p>Not for kidney-function tests; fasting is preferred for the fasting blood-sugar test.</p>",
                )
            ],
            "cta": ("Ask where the nearest screening unit is", "Send an inquiry"),
        },
    },
    {
        "slug": "ending-waiting-lists",
        "audience": "everyone",
        "start": -400,
        "end": -30,
        "colour": ((55, 71, 79), (225, 232, 235)),
        "shape": "steps",
        "tags": ["surgery", "waiting-lists"],
        "review": (-100, 200),
        "signoff": "د. سامي فؤاد، مدير الخدمات الجراحية — Dr Samy Fouad, director of surgical services",
        "places": [("horus", "Operating theatres", "حسب موعد القافلة | As scheduled")],
        "ar": {
            "title": "إنهاء قوائم الانتظار: قوافل العمليات الجراحية",
            "summary": "قوافل جراحية لعمليات اللوزتين والمياه البيضاء والمناظير والعظام لمن ينتظرون على القوائم. انتهت هذه الجولة، وتُعلن الجولة القادمة هنا.",
            "intro": "<p>أجرت القوافل الجراحية في الأقصر مئات العمليات لمن كانوا على قوائم الانتظار، في تخصصات اللوزتين والمياه البيضاء والمناظير والعظام.</p>",
            "figures": [("4", "تخصصات جراحية")],
            "who": ["المسجلون على قوائم الانتظار"],
            "bring": ["بطاقة الرقم القومي", "خطاب التسجيل على قائمة الانتظار"],
            "do": ["تأكد من تسجيل رقم هاتف صحيح"],
            "dont": ["لا تدفع أي مبالغ لأي وسيط"],
            "faq": [
                (
                    "كيف أسجل في الجولة القادمة؟",
                    "<p>يسجلك الطبيب المعالج في المستشفى الحكومي على القائمة الموحدة.</p>",
                )
            ],
            "cta": ("استفسر عن موعد الجولة القادمة", "أرسل استفسارًا"),
        },
        "en": {
            "title": "Ending waiting lists: surgical caravans",
            "summary": "Surgical caravans for tonsil, cataract, endoscopy and orthopaedic operations for people on waiting lists. This round has ended; the next will be announced here.",
            "intro": "<p>The surgical caravans in Luxor operated on hundreds of people from the waiting lists: tonsils, cataract, endoscopy and orthopaedics.</p>",
            "figures": [("4", "surgical specialties")],
            "who": ["People registered on waiting lists"],
            "bring": ["Your national ID card", "Your waiting-list registration letter"],
            "do": ["Make sure your phone number is registered correctly"],
            "dont": ["Don't pay any middleman"],
            "faq": [
                (
                    "How do I register for the next round?",
                    "<p>Your doctor at the public hospital registers you on the unified list.</p>",
                )
            ],
            "cta": ("Ask about the next round", "Send an inquiry"),
        },
    },
    {
        "slug": "child-nutrition",
        "audience": "under_five",
        "start": 10,
        "end": 300,
        "colour": ((120, 90, 0), (255, 243, 205)),
        "shape": "circles",
        "tags": ["children", "nutrition", "growth"],
        "review": (-15, 165),
        "signoff": "د. ريم الحسيني، استشارية طب الأطفال — Dr Reem El-Husseiny, consultant paediatrician",
        "places": [
            ("adaisat", "Paediatrics", "السبت–الخميس 9:00–14:00 | Sat–Thu 9:00–14:00")
        ],
        "ar": {
            "title": "برنامج مكافحة سوء التغذية للأطفال دون الخامسة",
            "summary": "قياس الوزن والطول ومتابعة النمو وفحص الأنيميا لكل طفل دون الخامسة، ونصائح غذائية للأسرة.",
            "intro": "<p>السنوات الخمس الأولى تبني صحة العمر كله. تتابع العيادات نمو الطفل بانتظام وتكتشف النحافة والتقزم والأنيميا والسمنة مبكرًا.</p>",
            "figures": [
                ("6", "أشهر من الرضاعة الطبيعية وحدها"),
                ("5", "سنوات: عمر المتابعة"),
            ],
            "who": ["كل طفل دون الخامسة", "الأطفال الذين يتأخر وزنهم أو طولهم"],
            "bring": ["شهادة الميلاد", "كارت التطعيمات"],
            "do": [
                "أرضعي طفلك رضاعة طبيعية وحدها في الأشهر الستة الأولى",
                "أدخلي الطعام المهروس بعد ستة أشهر",
                "احضري مواعيد قياس النمو",
            ],
            "dont": [
                "لا تعطي المشروبات الغازية أو العصائر المحلاة للطفل",
                "لا تعطي الشاي مع الوجبات: يقلل امتصاص الحديد",
            ],
            "faq": [
                (
                    "كم مرة يجب قياس وزن الطفل؟",
                    "<p>شهريًا في السنة الأولى، ثم كل ثلاثة أشهر حتى سن الخامسة.</p>",
                )
            ],
            "cta": ("اسألي عن عيادة متابعة النمو", "أرسلي استفسارًا"),
        },
        "en": {
            "title": "Child malnutrition programme for under-fives",
            "summary": "Weight, height and growth checks and anaemia screening for every child under five, with nutrition advice for the family.",
            "intro": "<p>The first five years build lifelong health. Clinics follow each child's growth and find wasting, stunting, anaemia and obesity early.</p>",
            "figures": [
                ("6", "months of exclusive breastfeeding"),
                ("5", "years: age of follow-up"),
            ],
            "who": [
                "Every child under five",
                "Children whose weight or height is falling behind",
            ],
            "bring": ["The birth certificate", "The vaccination card"],
            "do": [
                "Breastfeed only for the first six months",
                "Start mashed food after six months",
                "Come to growth check-ups",
            ],
            "dont": [
                "Don't give fizzy drinks or sweetened juice",
                "Don't give tea with meals: it reduces iron absorption",
            ],
            "faq": [
                (
                    "How often should my child be weighed?",
                    "<p>Monthly in the first year, then every three months until age five.</p>",
                )
            ],
            "cta": ("Ask about a growth clinic", "Send an inquiry"),
        },
    },
    {
        "slug": "diabetes-control",
        "audience": "chronic",
        "start": -30,
        "end": 330,
        "colour": ((0, 105, 120), (214, 242, 245)),
        "shape": "drops",
        "tags": ["diabetes", "screening"],
        "review": (-10, 170),
        "signoff": "د. عمر النجار، استشاري الغدد الصماء — Dr Omar El-Naggar, consultant endocrinologist",
        "places": [
            (
                "karnak",
                "General medicine",
                "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00",
            ),
            (
                "horus",
                "Internal medicine",
                "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00",
            ),
        ],
        "ar": {
            "title": "برنامج مكافحة مرض السكري: التوعية والكشف المبكر",
            "summary": "تحليل سكر مجاني ومشورة في الغذاء والنشاط البدني، ومتابعة منتظمة لمرضى السكري لتجنب مضاعفاته على العين والكلى والقدم.",
            "intro": "<p>كثير من مرضى السكري لا يعرفون أنهم مصابون. تحليل بسيط يكشفه، والمتابعة المنتظمة تمنع مضاعفاته.</p>",
            "figures": [
                ("1", "تحليل بسيط من الإصبع"),
                ("3", "أشهر بين كل تحليل تراكمي"),
            ],
            "who": [
                "من تجاوز 35 عامًا",
                "من لديه زيادة في الوزن أو تاريخ عائلي للسكري",
                "مرضى السكري لمتابعة حالتهم",
            ],
            "bring": ["بطاقة الرقم القومي", "جهاز قياس السكر إن وجد"],
            "do": [
                "امشِ 30 دقيقة يوميًا",
                "افحص قدميك كل يوم",
                "افحص قاع العين مرة كل عام",
            ],
            "dont": ["لا تغيّر جرعة الأنسولين من تلقاء نفسك", "لا تمشِ حافيًا"],
            "faq": [
                (
                    "هل يمكن الشفاء من السكري؟",
                    "<p>النوع الثاني يمكن التحكم فيه جيدًا بالغذاء والنشاط والدواء، وقد يختفي أثره مع نقص الوزن.</p>",
                )
            ],
            "cta": ("احجز تحليل السكر", "تواصل معنا"),
        },
        "en": {
            "title": "Diabetes control programme: awareness and early detection",
            "summary": "A free blood-sugar test, advice on food and activity, and regular follow-up for people with diabetes to prevent complications of the eyes, kidneys and feet.",
            "intro": "<p>Many people with diabetes do not know they have it. A simple test finds it, and regular follow-up prevents complications.</p>",
            "figures": [
                ("1", "simple finger-prick test"),
                ("3", "months between HbA1c tests"),
            ],
            "who": [
                "Anyone over 35",
                "People who are overweight or have diabetes in the family",
                "People with diabetes, for follow-up",
            ],
            "bring": ["Your national ID card", "Your glucose meter if you have one"],
            "do": [
                "Walk 30 minutes a day",
                "Check your feet every day",
                "Have your eyes examined once a year",
            ],
            "dont": [
                "Don't change your insulin dose on your own",
                "Don't walk barefoot",
            ],
            "faq": [
                (
                    "Can diabetes be cured?",
                    "<p>Type 2 diabetes can be well controlled with food, activity and medicine, and may go into remission with weight loss.</p>",
                )
            ],
            "cta": ("Book a blood-sugar test", "Contact us"),
        },
    },
    {
        "slug": "winter-colds-and-flu",
        "audience": "everyone",
        "start": 20,
        "end": 140,
        "colour": ((60, 60, 140), (230, 230, 250)),
        "shape": "waves",
        "tags": ["seasonal", "flu", "colds"],
        "review": (-5, 175),
        "signoff": "د. ياسر مراد، استشاري الأمراض الصدرية — Dr Yasser Morad, consultant chest physician",
        "scheduled": True,
        "places": [
            ("karnak", "Emergency department", "على مدار الساعة | 24 hours"),
            ("taiba", "Emergency department", "على مدار الساعة | 24 hours"),
        ],
        "ar": {
            "title": "نزلات البرد والإنفلونزا الموسمية: متى تحتاج إلى الطبيب؟",
            "summary": "نزلات البرد أكثر أسباب زيارة العيادات الخارجية، تليها التهابات اللوزتين والحلق. نصائح للوقاية والعلاج في المنزل ومتى تتوجه إلى الطوارئ.",
            "intro": "<p>معظم نزلات البرد تشفى وحدها خلال أسبوع، والمضادات الحيوية لا تعالجها. اعرف علامات الخطر التي تستدعي زيارة الطبيب.</p>",
            "figures": [
                ("1", "أكثر أسباب زيارة العيادات الخارجية"),
                ("7", "أيام: مدة نزلة البرد عادةً"),
            ],
            "who": [
                "كبار السن ومرضى الأمراض المزمنة للتطعيم",
                "الحوامل",
                "العاملون في المستشفيات",
            ],
            "bring": ["بطاقة الرقم القومي", "كارت التطعيمات"],
            "do": [
                "اغسل يديك بالماء والصابون",
                "غطِّ فمك عند العطس بمنديل أو بمرفقك",
                "اشرب السوائل الدافئة وخذ قسطًا من الراحة",
            ],
            "dont": [
                "لا تتناول المضادات الحيوية دون وصفة",
                "لا ترسل طفلك المريض إلى المدرسة",
            ],
            "faq": [
                (
                    "متى أذهب إلى الطوارئ؟",
                    "<p>عند صعوبة التنفس أو ارتفاع الحرارة أكثر من ثلاثة أيام أو ألم الصدر أو الخمول الشديد عند الأطفال.</p>",
                )
            ],
            "cta": ("اسأل عن تطعيم الإنفلونزا", "أرسل استفسارًا"),
        },
        "en": {
            "title": "Seasonal colds and flu: when do you need a doctor?",
            "summary": "Colds are the most common reason for outpatient visits, followed by tonsillitis and sore throat. How to prevent and treat them at home, and when to go to the emergency department.",
            "intro": "<p>Most colds get better on their own within a week, and antibiotics do not treat them. Know the warning signs that need a doctor.</p>",
            "figures": [
                ("1", "most common reason for outpatient visits"),
                ("7", "days: usual length of a cold"),
            ],
            "who": [
                "Older people and people with chronic disease, for vaccination",
                "Pregnant women",
                "Hospital staff",
            ],
            "bring": ["Your national ID card", "Your vaccination card"],
            "do": [
                "Wash your hands with soap and water",
                "Cover coughs and sneezes with a tissue or your elbow",
                "Drink warm fluids and rest",
            ],
            "dont": [
                "Don't take antibiotics without a prescription",
                "Don't send a sick child to school",
            ],
            "faq": [
                (
                    "When should I go to the emergency department?",
                    "<p>For difficulty breathing, fever for more than three days, chest pain, or a very drowsy child.</p>",
                )
            ],
            "cta": ("Ask about the flu vaccine", "Send an inquiry"),
        },
    },
]

# Campaigns the demo leaves in Arabic only: the editors' job is to make their English
# version (the "Translate" action), so they have no "en" text here.
CAMPAIGNS_AWAITING_TRANSLATION = [
    {
        "slug": "sore-throat-and-tonsillitis",
        "audience": "everyone",
        "start": -5,
        "end": 150,
        "colour": ((150, 60, 30), (253, 229, 216)),
        "shape": "drops",
        "tags": ["seasonal", "throat"],
        "review": (-5, 175),
        "signoff": "د. نادية الشريف، استشارية الأنف والأذن والحنجرة — Dr Nadia El-Sherif, consultant ENT surgeon",
        "places": [
            (
                "taiba",
                "Internal medicine",
                "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00",
            ),
            ("adaisat", "Paediatrics", "السبت–الخميس 9:00–14:00 | Sat–Thu 9:00–14:00"),
        ],
        "ar": {
            "title": "التهاب الحلق واللوزتين: متى يلزم المضاد الحيوي؟",
            "summary": "التهاب الحلق واللوزتين ثاني أكثر أسباب زيارة العيادات الخارجية بعد نزلات البرد. معظمه فيروسي يشفى وحده، وبعضه بكتيري يحتاج إلى علاج كامل المدة لتجنب مضاعفاته على القلب والكلى.",
            "intro": "<p>أغلب حالات التهاب الحلق سببها فيروسات لا تفيد معها المضادات الحيوية. أما التهاب اللوزتين البكتيري فيحتاج إلى فحص الطبيب وعلاج كامل المدة، لأن إهماله قد يسبب الحمى الروماتيزمية.</p>",
            "figures": [
                ("2", "ثاني أكثر أسباب زيارة العيادات الخارجية"),
                ("10", "أيام: مدة علاج التهاب اللوزتين البكتيري"),
            ],
            "who": [
                "الأطفال مع حرارة مرتفعة وألم شديد عند البلع",
                "من تتكرر إصابته بالتهاب اللوزتين",
                "من يجد صعوبة في التنفس أو البلع",
            ],
            "bring": ["بطاقة الرقم القومي", "قائمة الأدوية التي تتناولها"],
            "do": [
                "اشرب السوائل الدافئة وتغرغر بالماء والملح",
                "أكمل مدة المضاد الحيوي كاملة إذا وصفه الطبيب",
                "اغسل يديك ولا تشارك الأكواب",
            ],
            "dont": [
                "لا تتناول المضاد الحيوي دون وصفة",
                "لا توقف العلاج عند تحسن الأعراض",
            ],
            "faq": [
                (
                    "هل يحتاج كل التهاب في الحلق إلى مضاد حيوي؟",
                    "<p>لا. معظم الحالات فيروسية تشفى خلال أسبوع. يقرر الطبيب بعد الفحص، وقد يطلب مسحة من الحلق.</p>",
                ),
                (
                    "متى يُنصح باستئصال اللوزتين؟",
                    "<p>عند تكرار الالتهاب مرات كثيرة في السنة، أو تضخم اللوزتين بما يعيق التنفس أثناء النوم. يقرر ذلك طبيب الأنف والأذن والحنجرة.</p>",
                ),
            ],
            "cta": ("اسأل عن أقرب عيادة", "أرسل استفسارًا"),
        },
    },
    {
        "slug": "primary-care-health-card",
        "audience": "everyone",
        "start": -60,
        "end": None,
        "colour": ((70, 90, 40), (232, 240, 218)),
        "shape": "steps",
        "tags": ["primary-care", "health-card"],
        "review": (-20, 160),
        "signoff": "د. خالد عبد الفتاح، مدير الرعاية الصحية الأولية — Dr Khaled Abdel-Fattah, director of primary health care",
        "places": [
            (
                "karnak",
                "Outpatient clinics",
                "السبت–الخميس 9:00–14:00 | Sat–Thu 9:00–14:00",
            ),
            (
                "horus",
                "Internal medicine",
                "السبت–الخميس 9:00–13:00 | Sat–Thu 9:00–13:00",
            ),
        ],
        "ar": {
            "title": "البطاقة الصحية لمراجعي الرعاية الأولية",
            "summary": "بطاقة صحية لكل مراجع تجمع تطعيماته وقياساته وأمراضه المزمنة في مكان واحد، فيتابعه أي طبيب دون تكرار الفحوص. تُستخرج في أول زيارة.",
            "intro": "<p>البطاقة الصحية سجل مختصر يرافقك في كل زيارة: فصيلة الدم والحساسية والتطعيمات وقياسات الضغط والسكر والأدوية المزمنة. تساعد الطبيب على متابعتك وتوفر عليك تكرار الفحوص.</p>",
            "figures": [("1", "بطاقة لكل فرد في الأسرة")],
            "who": [
                "كل من يراجع وحدات الرعاية الأولية",
                "مرضى الضغط والسكر والأمراض المزمنة",
                "الأطفال لتسجيل تطعيماتهم",
            ],
            "bring": [
                "بطاقة الرقم القومي، أو شهادة الميلاد للأطفال",
                "نتائج التحاليل والأشعة الحديثة إن وجدت",
            ],
            "do": [
                "احمل بطاقتك في كل زيارة",
                "اطلب تسجيل كل تطعيم وقياس جديد",
                "أبلغ الطبيب بأي حساسية من الأدوية",
            ],
            "dont": [
                "لا تعطِ بطاقتك لغيرك",
                "لا تكرر التحاليل قبل أن تسأل الطبيب عن نتائجك السابقة",
            ],
            "faq": [
                (
                    "ماذا أفعل إذا فقدت البطاقة؟",
                    "<p>راجع مكتب الاستقبال في الوحدة الصحية ومعك بطاقة الرقم القومي لاستخراج بدل فاقد.</p>",
                )
            ],
            "cta": ("اسأل عن استخراج البطاقة", "أرسل استفسارًا"),
        },
    },
]

HOME = {
    "ar": {
        "title": "معاهد التمريض الفنية والتوعية الصحية",
        "intro": "حملات التوعية الصحية في مستشفيات الأقصر، ومعاهد التمريض الفنية الملحقة بها، ومركز الاتصال لاستقبال الشكاوى والبلاغات والاستفسارات والمقترحات.",
        "hours": "يوميًا من 7:30 إلى 21:30، وفي العطلات الرسمية من 9:30 إلى 16:30",
        "news": "<p><b>فتح باب التقديم</b> في معاهد التمريض الفنية للعام الدراسي الجديد لحملة الشهادة الإعدادية.</p><p><b>يوم مفتوح</b> لفحص السكر والضغط في مستشفى الكرنك الدولي يوم الخميس الأول من كل شهر.</p>",
        "campaigns": "الحملات الصحية",
        "campaigns_intro": "حملات الكشف المبكر والتوعية الجارية والقادمة والسابقة.",
        "institutes": "معاهد التمريض",
        "institutes_intro": "أربعة معاهد فنية للتمريض ملحقة بمستشفيات الأقصر، تقبل طلابًا بعد الشهادة الإعدادية لبرنامج مدته خمس سنوات.",
        "programme": "<p>برنامج التمريض الفني خمس سنوات دراسية، تجمع بين المواد النظرية والتدريب العملي في المعامل والتدريب الإكلينيكي في أقسام المستشفيات تحت إشراف مشرفين إكلينيكيين.</p><ul><li>السنوات الأولى: العلوم الأساسية ومبادئ التمريض</li><li>السنوات التالية: تمريض الباطنة والجراحة والأطفال والنساء والتوليد والعناية المركزة</li><li>السنة الخامسة: امتياز وتدريب مكثف في المستشفيات</li></ul>",
        "admission": "<ul><li>الحصول على شهادة إتمام الدراسة الإعدادية</li><li>اجتياز الكشف الطبي واختبار القبول والمقابلة الشخصية</li><li>ألا يتجاوز السن الحد المعلن في إعلان القبول</li><li>شهادة الميلاد وصورة بطاقة الرقم القومي لولي الأمر</li></ul>",
    },
    "en": {
        "title": "Technical nursing institutes and health awareness",
        "intro": "Health-awareness campaigns in Luxor's hospitals, the technical nursing institutes attached to them, and the contact centre for complaints, reports, inquiries and suggestions.",
        "hours": "daily 7:30–21:30; official holidays 9:30–16:30",
        "news": "<p><b>Applications are open</b> at the technical nursing institutes for the new school year, for holders of the preparatory certificate.</p><p><b>Open day</b> for blood-sugar and blood-pressure checks at Karnak International Hospital on the first Thursday of every month.</p>",
        "campaigns": "Health campaigns",
        "campaigns_intro": "Early-detection and awareness campaigns: running, upcoming and past.",
        "institutes": "Nursing institutes",
        "institutes_intro": "Four technical nursing institutes attached to Luxor's hospitals take students after the preparatory certificate for a five-year programme.",
        "programme": "<p>The technical nursing programme lasts five school years, combining theory, practical work in skills labs and clinical placements in hospital wards under clinical supervisors.</p><ul><li>First years: basic sciences and fundamentals of nursing</li><li>Later years: medical, surgical, paediatric, obstetric and critical-care nursing</li><li>Fifth year: internship with intensive hospital training</li></ul>",
        "admission": "<ul><li>The preparatory (middle-school) certificate</li><li>A medical examination, an admission test and an interview</li><li>Age within the limit stated in the admission announcement</li><li>Birth certificate and a copy of the guardian's national ID card</li></ul>",
    },
}

STANDARD_PAGES = [
    {
        "slug": "about",
        "ar": {
            "title": "من نحن",
            "intro": "تدير مديرية الشؤون الصحية مستشفيات الأقصر ومعاهد التمريض الفنية الملحقة بها.",
            "body": "<p>نعمل على تخريج ممرضين وممرضات فنيين أكفاء، وعلى تدريب جميع العاملين في المستشفيات تدريبًا إلزاميًا على مكافحة العدوى وسلامة المرضى والإنعاش القلبي الرئوي، وعلى توعية المجتمع بمبادرات الكشف المبكر.</p><h2>مستشفياتنا</h2><p>مستشفى الكرنك الدولي، ومجمع الأقصر الطبي الدولي، ومستشفى إيزيس التخصصي، ومستشفى حورس التخصصي بأرمنت، ومستشفى طيبة التخصصي بإسنا، ومستشفى العديسات التخصصي.</p>",
        },
        "en": {
            "title": "About us",
            "intro": "The health directorate runs Luxor's hospitals and the technical nursing institutes attached to them.",
            "body": "<p>We train competent technical nurses, give all hospital staff mandatory training in infection control, patient safety and basic life support, and raise awareness of early-detection initiatives.</p><h2>Our hospitals</h2><p>Karnak International Hospital, Luxor International Medical Complex, Isis Specialized Hospital, Horus Specialized Hospital (Armant), Taiba Specialized Hospital (Esna) and Al-Adaisat Specialized Hospital.</p>",
        },
    },
    {
        "slug": "privacy",
        "ar": {
            "title": "سياسة الخصوصية",
            "intro": "كيف نستخدم البيانات التي ترسلها إلينا عبر مركز الاتصال.",
            "body": "<p>نحتفظ بطلبك وبيانات التواصل التي تقدمها للرد عليه فقط، ولا نشاركها إلا مع المعهد أو المستشفى المعني بالطلب. لا نستخدم ملفات تعريف ارتباط للتتبع ولا خدمات خارجية.</p><p>يمكنك طلب حذف بياناتك بعد إغلاق طلبك بالاتصال بمركز الاتصال.</p>",
        },
        "en": {
            "title": "Privacy policy",
            "intro": "How we use what you send us through the contact centre.",
            "body": "<p>We keep your request and the contact details you give only to answer it, and share them only with the institute or hospital concerned. We use no tracking cookies and no third-party services.</p><p>You may ask us to delete your data once your request is closed by calling the contact centre.</p>",
        },
    },
    {
        "slug": "accessibility",
        "ar": {
            "title": "بيان إتاحة الموقع",
            "intro": "نسعى لأن يكون هذا الموقع متاحًا للجميع وفق معايير WCAG 2.2 بالمستوى AA.",
            "body": "<p>يعمل الموقع بلوحة المفاتيح وحدها، ويدعم قارئات الشاشة، ويعرض النصوص بتباين كافٍ، ويتكيف مع الهواتف وتكبير النص. لكل صورة نص بديل، والأسئلة الشائعة قابلة للتوسيع بلوحة المفاتيح.</p><p>إذا واجهت صعوبة في استخدام أي صفحة، أخبرنا عبر مركز الاتصال وسنرد خلال خمسة أيام عمل.</p>",
        },
        "en": {
            "title": "Accessibility statement",
            "intro": "We aim for this site to be usable by everyone, to WCAG 2.2 level AA.",
            "body": "<p>The site works with a keyboard alone, supports screen readers, uses sufficient contrast and adapts to phones and text zoom. Every image has a text alternative and the FAQs expand with the keyboard.</p><p>If any page is hard to use, tell us through the contact centre and we will answer within five working days.</p>",
        },
    },
]

TAG_NAMES = {
    "screening": ("الكشف المبكر", "early detection"),
    "breast-cancer": ("سرطان الثدي", "breast cancer"),
    "women": ("صحة المرأة", "women's health"),
    "pregnancy": ("الحمل", "pregnancy"),
    "antenatal-care": ("رعاية الحوامل", "antenatal care"),
    "birth-spacing": ("المباعدة بين الولادات", "birth spacing"),
    "newborns": ("حديثو الولادة", "newborns"),
    "hearing": ("السمع", "hearing"),
    "kidney": ("الكلى", "kidneys"),
    "blood-pressure": ("ضغط الدم", "blood pressure"),
    "surgery": ("الجراحة", "surgery"),
    "waiting-lists": ("قوائم الانتظار", "waiting lists"),
    "children": ("الأطفال", "children"),
    "nutrition": ("التغذية", "nutrition"),
    "growth": ("النمو", "growth"),
    "diabetes": ("السكري", "diabetes"),
    "seasonal": ("أمراض موسمية", "seasonal illness"),
    "flu": ("الإنفلونزا", "flu"),
    "colds": ("نزلات البرد", "colds"),
    "throat": ("الحلق واللوزتين", "throat and tonsils"),
    "primary-care": ("الرعاية الأولية", "primary care"),
    "health-card": ("البطاقة الصحية", "health card"),
}
