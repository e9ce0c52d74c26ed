//! The hand-written look-alike supplement (`tests/fold_table.rs`) and the
//! built-in art and emoji rules (`lists/default-rules.txt`), through the
//! default filter: each look-alike group and each rule catches its
//! disguises, and the innocent text that shares its glyphs stays clean
//! (Chinese with 千, Georgian, Arabic and Amharic sentences, maths, code
//! identifiers, kaomoji).

use chat_filter::{Action, Filter, FilterBuilder, RegexRule};

fn filter() -> Filter {
    Filter::with_defaults().expect("the default lists build")
}

/// Asserts that every message is flagged (masked or denied).
fn assert_flagged(filter: &Filter, messages: &[&str]) {
    for message in messages {
        let verdict = filter.review(message);
        assert_ne!(verdict.action, Action::Allow, "{message:?} was allowed");
    }
}

/// Asserts that every message is allowed, naming what matched if not.
fn assert_clean(filter: &Filter, messages: &[&str]) {
    for message in messages {
        let verdict = filter.review(message);
        assert_eq!(
            verdict.action,
            Action::Allow,
            "{message:?} was flagged by {:?}",
            verdict.rule_names()
        );
    }
}

/// Asserts that every message is masked by the rule called `name`.
fn assert_rule(filter: &Filter, name: &str, messages: &[&str]) {
    for message in messages {
        let verdict = filter.review(message);
        assert_eq!(verdict.action, Action::Mask, "{message:?}");
        assert!(
            verdict.rule_names().contains(&name),
            "{message:?} matched {:?}, not {name}",
            verdict.rule_names()
        );
    }
}

#[test]
fn symbol_lookalikes_read_as_letters() {
    let f = filter();
    // ∂ → a; ↯ and ϟ (and its capital Ϟ) → s; † → t; ❗ and ❕ → `!`.
    assert_flagged(
        &f,
        &[
            "AN∂L",
            "∂ss",
            "PU↯↯Y LICK",
            "PUϟϟY",
            "ϞHIT",
            "↯hit",
            "Sugar_†its",
            "†wat",
            "ℌit❗er",
            "sh❕t",
        ],
    );
    // As symbols they stay symbols: a date of death, an exclamation.
    assert_clean(&f, &["† 1990", "wow❗", "great game❗❗", "hi ❕"]);
}

#[test]
fn letters_drawn_with_strokes_are_read_beside_letters() {
    let f = filter();
    // |\| and /\/ are N, \/ is V, \/\/ is W, |\/| and /\/\ are M.
    assert_flagged(
        &f,
        &[
            "|\\|igga",
            "/\\/igger",
            "/\\|igga",
            "\\/agina",
            "|\\/|otherfucker",
            "/\\/\\otherfucker",
            "t\\/\\/at",
        ],
    );
    // Strokes without a letter beside them stay symbols.
    assert_clean(
        &f,
        &[
            "¯\\_(ツ)_/¯",
            "/\\/\\/\\",
            "a \\/ b",
            "and/or",
            "|\\| |\\|",
            "C:\\Users",
        ],
    );
}

#[test]
fn upside_down_words_are_read_upright() {
    let f = filter();
    assert_flagged(
        &f,
        &[
            "ɹǝɓɓıu",
            "aɓɓıu",
            "ʞɔnɟ",
            "ʞɔnɟ noʎ",
            "ʇıɥs",
            "ɥɔʇıq",
            "ʇunɔ",
            "ǝloɥssɐ",
        ],
    );
    // Upside-down chat that is not a listed word, and languages that write
    // some of the same letters (Hausa ɓ, Akan ɔ, Turkish ı).
    assert_clean(
        &f,
        &[
            "ǝɔıu ʎɐp",
            "¡ollǝɥ",
            "ɓarawo",
            "ɔdɔ",
            "kapı",
            "ısırgan",
            "ʎɐʍ ǝɥʇ",
        ],
    );
    // The mask covers the whole word.
    let verdict = f.review("lol ʞɔnɟ");
    assert_eq!(verdict.masked.as_deref(), Some("lol ****"));
}

#[test]
fn sharp_s_at_a_word_start_reads_b() {
    let f = filter();
    assert_flagged(&f, &["ß0ll0çk5", "ßitch", "ßastard"]);
    // Inside a word it is the German double s.
    assert_clean(&f, &["Straße", "Maß", "Grüße", "heißt", "Fußball"]);
}

#[test]
fn latin_and_cyrillic_gaps_read_as_letters() {
    let f = filter();
    // Turned a, c with bar (read as `e`, like `€`), Cyrillic ka with stroke.
    assert_flagged(
        &f,
        &[
            "Ɐss hole",
            "ɐss",
            "sꞒꞓx",
            "SꞒX",
            "FUCҜ",
            "fucҝ",
            "seҳ",
            "Bigꓘnob69",
        ],
    );
}

#[test]
fn parenthesized_letters_read_as_letters() {
    let f = filter();
    assert_flagged(&f, &["🄐ss", "⒜⒮⒮", "🄕🄤🄒🄚"]);
}

#[test]
fn cjk_fancy_alphabet_reads_as_letters() {
    let f = filter();
    assert_flagged(&f, &["千ㄩ匚Ҝ", "F凵匚K", "F匸匚K", "千uck", "匚ㄩnt"]);
}

#[test]
fn coptic_lookalikes_read_as_letters() {
    let f = filter();
    assert_flagged(&f, &["ⲁⲋⲋⲏⲑⲒⲉ", "ⲁⲋⲋ", "ⲋⲏit"]);
}

#[test]
fn georgian_ethiopic_and_arabic_slur_spellings_are_caught() {
    let f = filter();
    assert_flagged(
        &f,
        &[
            "იiუუer",
            "იiუუεr",
            "იiეეa",
            "በነეეεrs",
            "በነეეA",
            "𝐍ιووεr",
            "niووa",
        ],
    );
}

#[test]
fn text_in_the_mapped_scripts_stays_clean() {
    let f = filter();
    assert_clean(
        &f,
        &[
            // Chinese and Japanese with 千 (thousand), alone and in names.
            "我有一千块钱",
            "千万不要忘记",
            "一千 两千 三千",
            "千",
            "千 千 千",
            "千葉に住んでいます",
            "千と千尋の神隠し",
            "五千k的文件",
            // Bopomofo, as Taiwanese chat types it.
            "ㄩ ㄩ ㄩ",
            "ㄅㄆㄇㄈ ㄩ",
            // Georgian: ი, უ and ე are common vowels.
            "გამარჯობა, როგორ ხარ?",
            "ეს არის ჩემი სახლი",
            "უნივერსიტეტი იყო ძალიან კარგი",
            "იუ ეი უი",
            // Arabic and Persian: و is "and".
            "السلام عليكم ورحمة الله وبركاته",
            "و هو او وو",
            "او به خانه رفت و برگشت",
            // Amharic: በ (in) and ነ (is) are common.
            "ሰላም ነው",
            "በጣም አመሰግናለሁ",
            "በ ነ በነ ነበ",
            // Maths and symbols.
            "∂f/∂x = 0",
            "↯ fast ↯",
            "⒜ first, ⒝ second",
            "ϟ is koppa",
        ],
    );
}

#[test]
fn phallus_art_is_masked() {
    let f = filter();
    assert_rule(
        &f,
        "art:phallus",
        &[
            "3==D",
            "3===o",
            "8====D",
            "8=====o",
            "8===>",
            "c======3",
            "c=======B",
            "B===D",
            "look 8==D lol",
            "╰⋃╯",
        ],
    );
    let verdict = f.review("hi 8====D there");
    assert_eq!(verdict.masked.as_deref(), Some("hi ****** there"));
}

#[test]
fn middle_finger_art_and_emoji_are_masked() {
    let f = filter();
    assert_rule(
        &f,
        "art:middle-finger",
        &[
            "_l_",
            "_|_",
            "_l_   _l_  _l_  _l_",
            "[_/_] _l_ -__- _l_",
            "_/_",
            "_\\_",
            "_i_",
            "_1_",
            "_!_",
            "_∥_",
            "_¦_",
            "_(_",
            "_)_",
            "_[_",
            "_]_",
            "_{_",
            "_}_",
            "╭∩╮",
            "╭∩╮(-_-)╭∩╮",
            "🖕",
            "🖕 you",
            "🖕🏽🖕🏿",
        ],
    );
    let verdict = f.review("_l_ _l_");
    assert_eq!(verdict.masked.as_deref(), Some("*** ***"));
    assert_eq!(verdict.matches.len(), 2);
    // The skin tone belongs to the finger: both are masked.
    let verdict = f.review("🖕🏽 ok");
    assert_eq!(verdict.masked.as_deref(), Some("** ok"));
}

#[test]
fn right_facing_svasti_signs_are_masked_and_left_facing_ones_allowed() {
    let f = filter();
    assert_rule(
        &f,
        "symbol:swastika",
        &["\u{0FD5}", "\u{0FD7}", "\u{0FD5}\u{0FD6}\u{0FD7}\u{0FD8}"],
    );
    // The left-facing signs, like 卍, are the Buddhist symbols.
    assert_clean(&f, &["\u{0FD6}", "\u{0FD8}", "卍"]);
}

#[test]
fn ss_runes_are_masked_as_a_token_and_read_as_letters_in_a_word() {
    let f = filter();
    assert_rule(
        &f,
        "symbol:ss-runes",
        &["ϟϟ", "ᛋᛋ", "ᛊᛊ", "↯↯", "ϟ ϟ", "heil ϟϟ", "ᛋᛋ division"],
    );
    // Inside a word they are letters (`PUϟϟY`), not the rune token.
    let verdict = f.review("PUϟϟY");
    assert_ne!(verdict.action, Action::Allow);
    assert!(!verdict.rule_names().contains(&"symbol:ss-runes"));
    // One rune, the lightning emoji and a lone zigzag arrow stay clean.
    assert_clean(&f, &["ϟ", "⚡⚡", "power ↯ on", "ϟ1", "ᛋ rune"]);
}

#[test]
fn breasts_buttocks_and_sexual_emoji_are_masked() {
    let f = filter();
    assert_rule(
        &f,
        "art:breasts",
        &[
            "(.) (.)",
            "(.)(.)",
            "( . )( . )",
            "(o)(o)",
            "( . Y . )",
            "nice (.)(.) lol",
        ],
    );
    let verdict = f.review("nice (.)(.) lol");
    assert_eq!(verdict.masked.as_deref(), Some("nice ****** lol"));
    assert_rule(&f, "art:buttocks", &["(‿ˠ‿)", "(‿|‿)", "(_!_)"]);
    assert_rule(
        &f,
        "emoji:sexual",
        &["🍆💦🍑", "🍆🍑", "🍑💦", "💦 🍆", "👅🍑", "👉👌"],
    );
}

#[test]
fn innocent_emoticons_code_and_emoji_stay_clean() {
    let f = filter();
    assert_clean(
        &f,
        &[
            // Emoticons and kaomoji.
            ":D",
            "XD",
            "xD",
            "<3",
            "<3 <3",
            "c:",
            ":3",
            "(._.)",
            "-_-",
            "-__-",
            "^_^",
            "o_O",
            ">_<",
            "(>_<)",
            "T_T",
            "=D",
            "8)",
            "B)",
            "8=D",
            "¯\\_(ツ)_/¯",
            "o(_ _)o",
            "(.)",
            "( ͡° ͜ʖ ͡°)",
            // Code and arrows.
            "[_] todo",
            "(_)",
            "{_}",
            "matrix[_][_]",
            "f(_)",
            "my_l_var",
            "__init__",
            "file_1_final",
            "a_i_b",
            "x8==D",
            "a == b",
            "if (c===3) return",
            "if a==B==D",
            r#"Regex::new(r"(.)(.)(\w+)")"#,
            "3==>4",
            "step 8===>9",
            "=====",
            "c====",
            "==> next",
            // Emoji that are innocent alone.
            "🍆 parmigiana tonight",
            "peach pie 🍑",
            "so hot 💦",
            "👌",
            "👉 look at this",
        ],
    );
}

#[test]
fn default_rules_come_with_the_default_lists_only() {
    let rules = RegexRule::parse_list("default-rules.txt", RegexRule::DEFAULT_LIST)
        .expect("the default rules parse");
    assert!(rules.len() >= 5);
    for rule in &rules {
        assert_eq!(rule.action(), Action::Mask, "{}", rule.name());
        assert!(
            ["art:", "emoji:", "symbol:"]
                .iter()
                .any(|kind| rule.name().starts_with(kind)),
            "{}",
            rule.name()
        );
    }
    let bare = FilterBuilder::new()
        .default_lists(false)
        .build()
        .expect("an empty filter builds");
    assert_eq!(bare.review("8====D _|_ 🖕").action, Action::Allow);
}
