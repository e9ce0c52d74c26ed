//! The built-in lists: innocent text stays allowed, everyday swearing is
//! mild, and the strongest words are caught through every disguise the
//! normaliser reads.

use std::sync::OnceLock;

use chat_filter::{Action, Filter, Severity};

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::with_defaults().expect("the default lists build"))
}

/// Every sample that the default filter does not flag.
fn missed<'a>(samples: &[&'a str]) -> Vec<&'a str> {
    samples
        .iter()
        .copied()
        .filter(|s| filter().review(s).action == Action::Allow)
        .collect()
}

/// Every sample that the default filter flags.
fn flagged<'a>(samples: &[&'a str]) -> Vec<&'a str> {
    samples
        .iter()
        .copied()
        .filter(|s| filter().review(s).action != Action::Allow)
        .collect()
}

#[test]
fn innocent_words_that_contain_profanity_are_allowed() {
    let innocent = [
        "I live in Scunthorpe",
        "the assassin class",
        "grab a cocktail",
        "Essex and Sussex",
        "that was classic",
        "shiitake",
        "Middlesex",
        "sextant",
        "cum laude",
        "she graduated magna cum laude",
        "the Penistone line",
        "a cumulative total",
        "please assess the assignment",
        "Hitchcock and Hancock",
        "a peacock in the cockpit",
        "Dickens wrote it",
        "the Arsenal match",
        "sexual orientation",
        "tit for tat",
        "spick and span",
        "a chink in the armour",
        "Maine Coon kittens",
    ];
    for text in innocent {
        let verdict = filter().review(text);
        assert_eq!(
            verdict.action,
            Action::Allow,
            "{text:?}: {:?}",
            verdict.rule_names()
        );
    }
}

#[test]
fn compounds_of_dick_ass_and_cock_are_caught() {
    let samples = [
        "you dickweasel",
        "dickbeaters",
        "what a dickwad",
        "assgoblin",
        "you assmonkey",
        "asswad",
        "cockknocker",
        "cockwaffle",
        "cockblocker",
        "cocktease",
        "bigdick420",
        "smallcock",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn innocent_words_that_start_with_dick_ass_or_cock_are_allowed() {
    let innocent = [
        "Charles Dickens",
        "a Dickensian Christmas",
        "Emily Dickinson",
        "they dicker over the price",
        "a dicky bow",
        "my new Dickies trousers",
        "das ist dicke Luft",
        "ein dickes Buch",
        "Emily Dickinson and Dickerson",
        "a cockatoo and a cockatiel",
        "cocky newbie",
        "cockroaches everywhere",
        "I assume you assist",
        "assassins creed",
        "the assembly",
    ];
    for text in innocent {
        let verdict = filter().review(text);
        assert_eq!(
            verdict.action,
            Action::Allow,
            "{text:?}: {:?}",
            verdict.rule_names()
        );
    }
}

#[test]
fn common_profanity_of_other_languages_is_flagged() {
    let samples = [
        // Spanish.
        "hijo de puta",
        "eres un pendejo",
        "mierda",
        "cabrón",
        "joder",
        // French.
        "putain",
        "merde alors",
        "connard",
        "salope",
        "enculé",
        // German.
        "Scheiße",
        "scheisse",
        "Arschloch",
        "Hurensohn",
        "Fotze",
        "Wichser",
        // Italian.
        "cazzo",
        "vaffanculo",
        "stronzo",
        "puttana",
        "testa di cazzo",
        // Portuguese.
        "caralho",
        "porra",
        "foda-se",
        "buceta",
        // Russian, in Cyrillic and in a Latin imitation.
        "хуй",
        "иди нахуй",
        "пиздец",
        "блядь",
        "Блядь",
        "БЛЯДЬ",
        "бля",
        "сука",
        "ебать",
        "cyka blyat",
        // Dutch.
        "kut",
        "klootzak",
        "godverdomme",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn innocent_words_near_other_language_profanity_are_allowed() {
    let innocent = [
        "spaghetti alla puttanesca",
        "a putto on the ceiling",
        "puttees",
        "ziemlich salopp",
        "der Marsch",
        "ich habe es vergaß",
        "hören",
        "on va pique-niquer",
        "fodder",
        "fickle",
        "Merdeka",
        "застрахуй машину",
        "бляха",
        "сучок",
        "небо",
        "eBay",
        "I love culture",
        "conquest",
        "suka banget",
        "buenas tardes",
        "boas tardes a todos",
        "feliz cumple",
        "tenho que cumprir",
        "bailar cumbia",
        "me molesta mucho",
        "no quiero molestarte",
        "el sexto piso",
        "pasta e fagioli",
        "la spazzatura",
        "il mio spazzolino",
        "la penisola sorrentina",
        "à plus tard",
        "je suis en retard",
        "tôt ou tard",
        "un p'tit café",
        "il faut songer à ça",
    ];
    for text in innocent {
        let verdict = filter().review(text);
        assert_eq!(
            verdict.action,
            Action::Allow,
            "{text:?}: {:?}",
            verdict.rule_names()
        );
    }
}

#[test]
fn harassment_hate_and_sexual_slang_are_flagged() {
    let samples = [
        "kys",
        "just kill urself",
        "kill ur self",
        "neck yourself",
        "go die",
        "go drink bleach",
        "I hope you die",
        "gas the jews",
        "blah 卐 blah",
        "shut the f up",
        "reverse cowgirl",
        "send nudes",
        "you scumbag",
        "suckmydick",
        "你是傻逼",
        "씨발",
        "what a hussy",
        "you dirtbag",
        "spank me",
        "can i nut in u",
        "sex with me",
        "zorra",
        "malnacido",
        "bâtard",
        "tapette",
        "seks",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn innocent_words_near_new_terms_are_allowed() {
    let innocent = [
        "a cuckoo clock",
        "the woodpecker",
        "culottes",
        "a cul-de-sac",
        "трахея",
        "I want to kill myself",
        "scum on the pond",
        "the year 1487",
        "he seeks help",
        "a tapette à mouches",
        "pain bâtard",
        "a nut in the shell",
        "dirt in a bag",
    ];
    for text in innocent {
        let verdict = filter().review(text);
        assert_eq!(
            verdict.action,
            Action::Allow,
            "{text:?}: {:?}",
            verdict.rule_names()
        );
    }
}

#[test]
fn school_shooting_threats_are_denied_and_talk_about_them_is_not() {
    let threats = [
        "ima shoot up the school",
        "imma shoot up a middle school tomorrow",
        "I'm gonna shoot up my school",
        "gonna shoot up the schools",
        "ima shoot school",
        "do a school shooting",
        "planning a school shooting",
        "bringing a gun to school",
        "Take a gun to school",
        "sh00t up the sch00l",
    ];
    for message in threats {
        let verdict = filter().review(message);
        assert_eq!(verdict.action, Action::Deny, "{message}");
        assert!(
            verdict.matches.iter().any(|m| m.category == Some("threat")),
            "{message}"
        );
    }
    let talk = [
        "another school shooting in the news",
        "school shootings have to stop",
        "I'm going to shoot school photos",
        "gonna shoot hoops after school",
        "we shoot the school play on friday",
        "he brought a gun to the range",
        "shooting stars over the school",
    ];
    assert_eq!(flagged(&talk), Vec::<&str>::new());
}

#[test]
fn an_allowed_word_does_not_shield_profanity_beside_it() {
    for text in ["Scunthorpe fuck", "shit in Essex", "cum laude bitch"] {
        assert_ne!(filter().review(text).action, Action::Allow, "{text:?}");
    }
}

#[test]
fn everyday_swearing_is_mild_and_allowed() {
    for text in ["hell", "damn", "what the hell", "damn it", "oh damn"] {
        let verdict = filter().review(text);
        assert_eq!(verdict.action, Action::Allow, "{text:?}");
        assert!(
            !verdict.matches.is_empty(),
            "{text:?} should still match a mild term"
        );
        assert!(
            verdict
                .matches
                .iter()
                .all(|m| m.severity == Some(Severity::Mild)),
            "{text:?}: {:?}",
            verdict.matches
        );
    }
}

#[test]
fn weak_insults_are_mild_and_allowed() {
    for text in [
        "you idiot",
        "that's stupid",
        "loser",
        "so dumb",
        "what a jerk",
        "moron",
    ] {
        let verdict = filter().review(text);
        assert_eq!(verdict.action, Action::Allow, "{text:?}");
        assert!(
            !verdict.matches.is_empty()
                && verdict
                    .matches
                    .iter()
                    .all(|m| m.severity == Some(Severity::Mild)),
            "{text:?}: {:?}",
            verdict.matches
        );
    }
}

#[test]
fn mild_words_in_disguise_are_masked_and_plain_ones_allowed() {
    let plain = [
        "what the hell",
        "WHAT THE HELL",
        "what the heeeell",
        "crap",
        "Crap!",
        "frick",
        "loser",
        "god dam it",
        "he'll be there",
        "fanny pack",
        "Dong Nguyen",
    ];
    for text in plain {
        let verdict = filter().review(text);
        assert_eq!(verdict.action, Action::Allow, "{text:?}");
        assert!(verdict.matches.iter().all(|m| !m.disguised), "{text:?}");
    }
    let disguised = [
        // Look-alike letters from another script, and accents.
        "һell",
        "heӏӏ",
        "heḷḷ",
        "crаp",
        "cräp",
        "friсk",
        "lоser",
        "löser",
        "рoo",
        "nutјob",
        // Digits, letters read as others, symbols and separators.
        "he11",
        "go to heII",
        "d0ng",
        "f4nny",
        "cr*p",
        "c r a p",
        "h.e.l.l",
        "b.ugger",
    ];
    for text in disguised {
        let verdict = filter().review(text);
        assert_eq!(verdict.action, Action::Mask, "{text:?}");
        assert!(
            verdict
                .matches
                .iter()
                .all(|m| m.disguised && m.severity == Some(Severity::Mild)),
            "{text:?}: {:?}",
            verdict.matches
        );
    }
}

/// `disguised` says how a match was written, whatever its severity: the
/// README documents it for `--explain`, not only for mild words.
#[test]
fn the_disguised_flag_is_worked_out_for_every_severity() {
    for (text, severity, disguised) in [
        ("shit happens", Severity::Moderate, false),
        ("sh1t happens", Severity::Moderate, true),
        ("s.h.i.t happens", Severity::Moderate, true),
        ("you cunt", Severity::Severe, false),
        ("you cսnt", Severity::Severe, true),
        ("you c*nt", Severity::Severe, true),
    ] {
        let verdict = filter().review(text);
        assert!(!verdict.matches.is_empty(), "{text:?}");
        for m in &verdict.matches {
            assert_eq!(m.severity, Some(severity), "{text:?}: {m:?}");
            assert_eq!(m.disguised, disguised, "{text:?}: {m:?}");
        }
    }
}

#[test]
fn the_disguised_mild_rule_follows_the_policy() {
    let lenient = chat_filter::FilterBuilder::new()
        .policy("disguised-mild=allow".parse().expect("a valid policy"))
        .build()
        .expect("the default lists build");
    assert_eq!(lenient.review("һell").action, Action::Allow);
    let strict = chat_filter::FilterBuilder::new()
        .policy(
            "mild=deny,disguised-mild=mask"
                .parse()
                .expect("a valid policy"),
        )
        .build()
        .expect("the default lists build");
    // A disguise never softens the action that plain mild words get.
    assert_eq!(strict.review("һell").action, Action::Deny);
    assert_eq!(strict.review("hell").action, Action::Deny);
    // Moderate and severe terms are not raised by a disguise (which is
    // still reported).
    let verdict = filter().review("f.u.c.k");
    assert_eq!(verdict.action, Action::Mask);
    assert!(verdict.matches.iter().all(|m| m.disguised));
}

#[test]
fn a_mild_term_listed_in_another_script_is_not_disguised_by_it() {
    let filter = chat_filter::FilterBuilder::new()
        .default_lists(false)
        .block_list(
            chat_filter::WordList::parse("ru", "блин | mild | ru\ngod-dam | mild").expect("parses"),
        )
        .build()
        .expect("builds");
    for text in ["блин", "БЛИН", "god-dam", "god dam"] {
        let verdict = filter.review(text);
        assert_eq!(verdict.matches.len(), 1, "{text:?}");
        assert_eq!(verdict.action, Action::Allow, "{text:?}");
    }
    assert_eq!(filter.review("б.л.и.н").action, Action::Mask);
}

#[test]
fn rape_forms_are_flagged_and_rapping_is_not() {
    assert_eq!(
        missed(&["raped", "RAPING", "a raper", "r@ped"]),
        Vec::<&str>::new()
    );
    assert_eq!(
        flagged(&[
            "rapping",
            "he rapped it",
            "the rapper",
            "rappers",
            "draped",
            "scraper",
        ]),
        Vec::<&str>::new()
    );
}

#[test]
fn identity_words_are_not_flagged() {
    assert_eq!(
        flagged(&[
            "I'm gay",
            "my lesbian aunt",
            "queer history",
            "trans rights",
            "a homosexual couple",
        ]),
        Vec::<&str>::new()
    );
}

#[test]
fn plain_strong_words_are_flagged() {
    let samples = [
        "fuck",
        "shit",
        "bitch",
        "cunt",
        "asshole",
        "dick",
        "motherfucker",
        "bullshit",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn look_alike_characters_are_read() {
    let samples = [
        // Cyrillic and Greek homoglyphs.
        "fuсk",    // Cyrillic es
        "ѕһіt",    // Cyrillic dze, shha, byelorussian i
        "bіtсh",   // Cyrillic i and es
        "сunt",    // Cyrillic es
        "аsshоlе", // Cyrillic a, o, ie
        "dісk",    // Cyrillic i and es
        "fυck",    // Greek upsilon
        "shιt",    // Greek iota
        "bιtch",   // Greek iota
        "cυnt",    // Greek upsilon
        "αsshole", // Greek alpha
        "dιck",    // Greek iota
        // Fullwidth.
        "ｆｕｃｋ",
        "ｓｈｉｔ",
        "ｂｉｔｃｈ",
        "ｃｕｎｔ",
        "ａｓｓｈｏｌｅ",
        "ｄｉｃｋ",
        // Circled.
        "ⓕⓤⓒⓚ",
        "ⓢⓗⓘⓣ",
        "ⓑⓘⓣⓒⓗ",
        "ⓒⓤⓝⓣ",
        "ⓐⓢⓢⓗⓞⓛⓔ",
        "ⓓⓘⓒⓚ",
        // Enclosed (negative squared) capitals.
        "🅵🆄🅲🅺",
        "🆂🅷🅸🆃",
        "🅱🅸🆃🅲🅷",
        "🅲🆄🅽🆃",
        "🅰🆂🆂🅷🅾🅻🅴",
        "🅳🅸🅲🅺",
        // Combining strike-through overlays.
        "f\u{336}u\u{336}c\u{336}k\u{336}",
        "s\u{336}h\u{336}i\u{336}t\u{336}",
        "b\u{336}i\u{336}t\u{336}c\u{336}h\u{336}",
        "c\u{336}u\u{336}n\u{336}t\u{336}",
        "a\u{336}s\u{336}s\u{336}h\u{336}o\u{336}l\u{336}e\u{336}",
        "d\u{336}i\u{336}c\u{336}k\u{336}",
        // Diacritics.
        "fučk",
        "shït",
        "bítch",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn leetspeak_is_read() {
    let samples = [
        "fu(k", "fu<k", "fu¢k", //
        "sh1t", "$hit", "5h17", //
        "b1tch", "8itch", "bi7ch", //
        "<unt", "cun7", "¢un7", //
        "a$$hole", "@sshole", "a55h0le", //
        "d1ck", "d!ck", "di(k",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn digits_with_no_vowel_reading_hide_a_vowel() {
    let samples = [
        "f8ck you", "f2ck", "fu6k", //
        "sh8t", "sh2t", "sh9t", //
        "b2tch", "b9tch", "b6tch", //
        "c8nt", "c2nt", "c9nt", //
        "d8ck", "d2ck", "d6ck",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
    let innocent = [
        "gr8 m8",
        "sk8r boi",
        "h8 u",
        "b2b sales",
        "l8r",
        "w8 4 me",
        "c2c",
        "4x4",
    ];
    assert_eq!(flagged(&innocent), Vec::<&str>::new());
}

#[test]
fn marks_after_a_long_start_hide_the_end_of_a_word() {
    // As many letters as there are marks, after four or more visible ones.
    let samples = [
        "you little mother******",
        "motherf*****",
        "dumb***",
        "jack***",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
    // Short starts are too ambiguous, and a count that fits no listed word
    // reads nothing.
    assert_eq!(
        flagged(&[
            "f***",
            "sh**",
            "hell***",
            "wow***",
            "hello***",
            "great game***",
            "motherf**",
        ]),
        Vec::<&str>::new()
    );
}

#[test]
fn a_censored_reading_without_an_ending_outranks_one_with() {
    // "ni**ers" could be "nigglers" (an allowed word plus an ending), but
    // the listed word needs no ending.
    let samples = ["ni**ers", "IHateNi***rs", "you ni**er"];
    assert_eq!(missed(&samples), Vec::<&str>::new());
    assert_eq!(
        flagged(&["ni**le", "a ni**ling doubt", "ni**ling"]),
        Vec::<&str>::new()
    );
}

#[test]
fn repeated_letters_are_read() {
    let samples = [
        "fuuuuck",
        "FUUUCK",
        "fffuuuccckkk", //
        "shiiiit",
        "shhhhiiiitttt",
        "sssshit", //
        "biiiitch",
        "bitchhhh",
        "bbbiiitttccchhh", //
        "cuuuunt",
        "cunnnnt",
        "cccuuunnnttt", //
        "asssssshole",
        "aaassshole",
        "asshoooole", //
        "diiiick",
        "dickkkk",
        "dddiiiccckkk",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn separated_letters_are_read() {
    let samples = [
        "f.u.c.k",
        "f u c k",
        "f_u-c k", //
        "s.h.i.t",
        "s h i t",
        "s_h-i t", //
        "b.i.t.c.h",
        "b i t c h",
        "b_i-t c h", //
        "c.u.n.t",
        "c u n t",
        "c_u-n t", //
        "a.s.s.h.o.l.e",
        "a s s h o l e",
        "a_s-s h o l e", //
        "d.i.c.k",
        "d i c k",
        "d_i-c k",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn self_censored_words_are_read() {
    let samples = [
        "f*ck", "f**k", "fu#k", //
        "sh*t", "s#it", "sh%t", //
        "b*tch", "bi*ch", "b**ch", //
        "c*nt", "cu*t", "c^nt", //
        "a**hole", "assh*le", "ass*ole", //
        "d*ck", "di*k", "d#ck",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

#[test]
fn disguises_inside_a_sentence_are_read() {
    for text in [
        "what the f.u.c.k is this",
        "you absolute a55h0le",
        "this is sh*t",
        "ｆｕｃｋ off",
    ] {
        assert_ne!(filter().review(text).action, Action::Allow, "{text:?}");
    }
}

/// Disguises the engine learned to read after the lists were first curated.
#[test]
fn disguises_read_since_the_first_curation() {
    let samples = [
        // Censoring one letter of a double letter.
        "a*shole", "as*hole", // A mark between every letter separates the letters.
        "f*u*c*k", "f^u^c^k", "f!u!c!k", // Look-alikes added to the fold table.
        "ғuck", "fucĸ", "fuᑕk",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

/// Disguises the engine learned to read once the normaliser recorded what
/// separated words and the matcher learned to try joined readings.
#[test]
fn disguises_read_since_words_may_be_joined() {
    let samples = [
        // Symbol-only words and symbols around digits.
        "$#1t",
        "@$$",
        // Letters split into pieces, by spaces or by marks.
        "f uc k",
        "fu ck",
        "fu.ck",
        "f-uck",
        "a.rse",
        "b.ollocks",
        "m.otherf.ucker",
        // Marks hiding as many letters as they are long.
        "c *nt!",
        "c* nt",
        "sh!+",
        "shi+",
        "f--k",
        "f---ing",
        "f-----g",
        "mother f---ers",
        "f__king",
        "f'ck",
        "f[_]cker",
        // `vv` for `w`, `l` for `i`, `x` and `@` hiding a letter.
        "tvvat",
        "shlt",
        "nlgger",
        "dxck",
        "fuxk",
        "bitxh",
        "fu@k",
        "f@@@ing",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

/// Innocent words and phrases that the joined and look-alike readings must
/// leave alone.
#[test]
fn joined_readings_leave_innocent_text_alone() {
    let innocent = [
        "x-ray",
        "e-mail",
        "t-shirt",
        "co-op",
        "well-known",
        "re-do",
        "as-is",
        "pen is",
        "is hit",
        "it's hit",
        "that's hit",
        "pen island",
        "the assassin",
        "Essex and Sussex",
        "a s s e m b l y",
        "as sure",
        "but then",
        "tw: at school",
        "TW abuse",
        "Ann's",
        "Pen's",
        "who're",
        "boxer",
        "boxers",
        "taxi",
        "Dixie",
        "mixer",
        "text",
        "fox",
        "world",
        "pls",
        "plss don't hurt me",
        "savvy",
        "McIntosh",
    ];
    let flagged: Vec<&str> = innocent
        .iter()
        .copied()
        .filter(|s| filter().review(s).action != Action::Allow)
        .collect();
    assert_eq!(flagged, Vec::<&str>::new());
}

/// Disguises the normaliser does not read yet. Each is an engine limitation,
/// not a list gap: listing more spellings cannot fix them.
#[test]
#[ignore = "engine limitations: see the list README; run with --ignored"]
fn disguises_the_engine_does_not_read_yet() {
    let samples = [
        // `<` alone for `c`; spaced pieces that read like words or onsets;
        // η for `h`; reversed text; a censor mark as a spaced separator.
        "< unt",
        "<.unt",
        "tw at",
        "wan ker",
        "sh hit",
        "βιτ⊂η",
        "gnikcuf",
        "c -- r ___ a ^ p",
    ];
    assert_eq!(missed(&samples), Vec::<&str>::new());
}

/// Severe whole-word terms are read with a plural ending, and the plural
/// of an everyday word that looks like one stays allowed.
#[test]
fn severe_terms_are_read_in_the_plural() {
    for text in [
        "those trannys",
        "spics everywhere",
        "a bunch of kikes",
        "fagz lol",
    ] {
        assert_eq!(filter().review(text).action, Action::Deny, "{text:?}");
    }
    for text in [
        "add the spices",
        "spikes on the wall",
        "the annals of history",
    ] {
        assert_eq!(filter().review(text).action, Action::Allow, "{text:?}");
    }
}

#[test]
fn english_terms_beside_allowed_words_of_other_languages_stay_flagged() {
    let abusive = [
        "he molested her",
        "a child molester",
        "molestation",
        "you tard",
        "what a retard",
        "cumshot",
        "cum on me",
        "faggot",
        "fags",
        "penis",
        "spazz",
        "sexy time",
    ];
    assert!(missed(&abusive).is_empty(), "{:?}", missed(&abusive));
}
