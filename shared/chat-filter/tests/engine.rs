//! The engine's matching, allow-list, rule, policy and masking semantics,
//! on small custom lists so each test shows exactly one behaviour.

use chat_filter::{
    Action, BuildError, Filter, FilterBuilder, Policy, RegexRule, Severity, WordList,
};

fn filter(block: &str, allow: &str) -> Filter {
    FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("block", block).unwrap())
        .allow_list(WordList::parse("allow", allow).unwrap())
        .policy("moderate=mask,severe=deny".parse().unwrap())
        .build()
        .unwrap()
}

fn hits(filter: &Filter, text: &str) -> Vec<String> {
    filter
        .review(text)
        .matches
        .iter()
        .map(|m| text[m.span.clone()].to_string())
        .collect()
}

#[test]
fn whole_word_prefix_suffix_and_anywhere() {
    let f = filter(
        "cat | moderate\ndog* | moderate\n*fish | moderate\n*bird* | moderate",
        "",
    );
    assert_eq!(hits(&f, "cat cats bobcat"), ["cat"]);
    assert_eq!(hits(&f, "dog dogs hotdog"), ["dog", "dogs"]);
    assert_eq!(hits(&f, "fish fishy goldfish"), ["fish", "goldfish"]);
    assert_eq!(
        hits(&f, "bird birds bluebird bluebirds"),
        ["bird", "birds", "bluebird", "bluebirds"]
    );
}

#[test]
fn multi_word_terms_match_across_any_spacing() {
    let f = filter("blow job | moderate", "");
    assert_eq!(hits(&f, "a blow   job"), ["blow   job"]);
    assert!(hits(&f, "blowjob").is_empty());
}

#[test]
fn allow_list_cancels_overlapping_matches_only() {
    let f = filter("*cunt* | severe", "scunthorpe");
    assert_eq!(f.review("I live in Scunthorpe").action, Action::Allow);
    assert_eq!(hits(&f, "Scunthorpe cunt"), ["cunt"]);
    // Whole-word allow entries do not cover a longer word.
    assert_eq!(f.review("scunthorpecunt").action, Action::Deny);
}

#[test]
fn double_letters_must_be_spelled_but_repeats_collapse() {
    let f = filter("ass | moderate\nfuck* | moderate", "");
    assert!(hits(&f, "as is").is_empty());
    assert_eq!(hits(&f, "asss"), ["asss"]);
    assert_eq!(hits(&f, "fuuuuck fuckkk"), ["fuuuuck", "fuckkk"]);
}

#[test]
fn policy_picks_the_strongest_action() {
    let f = FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("b", "darn | mild\nheck | moderate\nblast | severe").unwrap())
        .build()
        .unwrap();
    assert_eq!(f.review("darn").action, Action::Allow);
    assert_eq!(f.review("darn it, heck").action, Action::Mask);
    assert_eq!(f.review("heck, blast").action, Action::Deny);
    let strict = FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("b", "darn | mild").unwrap())
        .policy(Policy::default())
        .policy("mild=deny".parse().unwrap())
        .build()
        .unwrap();
    assert_eq!(strict.review("darn").action, Action::Deny);
}

#[test]
fn default_severity_applies_to_entries_without_one() {
    let build = |severity| {
        FilterBuilder::new()
            .default_lists(false)
            .block_list(WordList::parse("b", "zork").unwrap())
            .default_severity(severity)
            .build()
            .unwrap()
    };
    assert_eq!(build(Severity::Severe).review("zork").action, Action::Deny);
    assert_eq!(
        build(Severity::Moderate).review("zork").action,
        Action::Mask
    );
    assert_eq!(build(Severity::Mild).review("zork").action, Action::Allow);
}

#[test]
fn masking_keeps_everything_else_byte_for_byte() {
    let f = filter("fuck* | moderate", "");
    let check = |text: &str, want: &str| {
        let verdict = f.review(text);
        assert_eq!(verdict.masked.as_deref(), Some(want), "{text}");
    };
    check("fuck at the start", "**** at the start");
    check("at the end fuck", "at the end ****");
    check("ｆｕｃｋ ünïcödé 👨‍👩‍👧", "**** ünïcödé 👨‍👩‍👧");
    check("é f̶u̶c̶k̶ é", "é ******** é");
    check("f u c k off", "* * * * off");
    // An invisible character belongs to the letter before it, so it is
    // masked with that letter: the count of characters never changes.
    check("fuuuucking\u{200B}!", "***********!");
}

#[test]
fn masking_never_lengthens_a_message() {
    let f = FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("b", "*fu* | moderate").unwrap())
        .mask('█')
        .build()
        .unwrap();
    let text = "ｆｕ".repeat(250);
    assert_eq!(text.chars().count(), 500);
    let verdict = f.review(&text);
    let masked = verdict.masked.unwrap();
    assert_eq!(masked.chars().count(), 500);
    assert!(masked.chars().all(|c| c == '█'));
}

#[test]
fn regex_rules_mask_deny_and_allow() {
    let rules = RegexRule::parse_list(
        "rules",
        "ours | allow | (?i)https://example\\.com/\\S*\nlinks | mask | (?i)https?://\\S+\nphone | deny | \\b\\d{3}-\\d{4}\\b",
    )
    .unwrap();
    let mut builder = FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("b", "*cock* | moderate").unwrap());
    for rule in rules {
        builder = builder.rule(rule);
    }
    let f = builder.build().unwrap();
    let verdict = f.review("see https://spam.io/x now");
    assert_eq!(verdict.action, Action::Mask);
    assert_eq!(verdict.masked.as_deref(), Some("see ***************** now"));
    assert_eq!(verdict.rule_names(), ["links"]);
    assert_eq!(f.review("call 555-1234").action, Action::Deny);
    // The allow rule cancels the word match it overlaps, and the mask rule
    // still sees the link.
    let verdict = f.review("https://example.com/peacock");
    assert_eq!(verdict.rule_names(), ["links"]);
}

#[test]
fn bad_lists_fail_the_build_naming_the_list_and_line() {
    let err = FilterBuilder::new()
        .default_lists(false)
        .block_list(WordList::parse("words.txt", "ok\n!!!").unwrap())
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "words.txt:2: term '!!!' holds no letters or digits once normalised, so it could never match"
    );
    let err = FilterBuilder::new()
        .allow_list(WordList::parse("allow.txt", "fine | mild").unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::List(_)));
    assert_eq!(
        err.to_string(),
        "allow.txt:1: allow-list entry 'fine' takes no severity or category"
    );
}

#[test]
fn verdicts_report_term_category_severity_and_span() {
    let f = filter("frak* | moderate | scifi", "");
    let verdict = f.review("oh frakking hell");
    let m = &verdict.matches[0];
    assert_eq!(m.rule.name(), "frak*");
    assert_eq!(m.category, Some("scifi"));
    assert_eq!(m.severity, Some(Severity::Moderate));
    assert_eq!(m.action, Action::Mask);
    assert_eq!(m.span, 3..11);
}

#[test]
fn empty_filter_allows_everything() {
    let f = FilterBuilder::new().default_lists(false).build().unwrap();
    let verdict = f.review("anything at all");
    assert_eq!(verdict.action, Action::Allow);
    assert!(verdict.matches.is_empty() && verdict.masked.is_none());
}

#[test]
fn self_censored_words_match_their_terms() {
    let f = filter("fuck* | moderate\nasshole | moderate\nshit | moderate", "");
    for text in [
        "f*ck", "f**k", "fu*k", "f#ck", "f*cking", "a**hole", "a*shole", "as*hole", "assh*le",
        "sh*t",
    ] {
        assert_eq!(hits(&f, text), [text], "{text}");
    }
    // The first and last letters stay; a mark alone or at an edge is not a word.
    for text in ["*uck", "fuc*", "f*", "***", "*hug*"] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
    // Censoring keeps word positions: `shit` is whole-word only.
    assert!(hits(&f, "sh*tty").is_empty());
}

#[test]
fn a_mark_inserted_beside_a_vowel_hides_nothing_only_in_a_whole_word() {
    let f = filter("shit | moderate\nslut | moderate\n*cunt* | severe", "");
    // Put into the whole word, the mark stands for nothing.
    for text in ["sh*it", "slu*t", "s*lut", "c*unt"] {
        assert_eq!(hits(&f, text), [text], "{text}");
    }
    // Inside a longer word it hides a vowel: "c*unty" is "county", not
    // `cunt` inside "cunty".
    for text in ["c*unty", "c*untry", "acc*unted"] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn censored_phrases_are_read_with_the_mark_in_any_word() {
    let f = filter(
        "gang bang | moderate\njail bait | moderate\ntwo girls one cup | moderate",
        "",
    );
    for (text, hit) in [
        ("lmao g*ng bang", "g*ng bang"),
        ("lmao gang b*ng", "gang b*ng"),
        ("ur a jail b*it bro", "jail b*it"),
        ("two g*rls one cup", "two g*rls one cup"),
        ("two girls one c*p", "two girls one c*p"),
    ] {
        assert_eq!(hits(&f, text), [hit], "{text}");
    }
    // A mark never hides the break between words, and the other words
    // must be there as listed.
    for text in ["gan*bang", "g*ng bong", "jail*ait", "g*ng"] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn several_marks_each_hide_a_vowel_of_whole_words() {
    let f = filter(
        "blow job | moderate\nlick my balls | moderate\nmotherfucker | severe\n*whore* | severe\n*slut* | severe",
        "",
    );
    for (text, hit) in [
        ("he called me a bl*w j*b", "bl*w j*b"),
        ("lmao bl#w j#b", "bl#w j#b"),
        ("stop being a l*ck my b*lls", "l*ck my b*lls"),
        ("you m*therf*cker", "m*therf*cker"),
    ] {
        assert_eq!(hits(&f, text), [hit], "{text}");
    }
    // A later mark hides one vowel, and only where the reading is whole
    // words: inside a longer word it would be a guess of that word.
    for text in ["w*rr*nty", "*bs*l*t*ly", "bl*w j*bs", "bl*w j*d"] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn censored_words_may_write_a_long_terms_u_as_v() {
    let f = filter(
        "pussies | moderate\ncumming | moderate\nnahuy | moderate\nstfu | moderate",
        "uranus",
    );
    for (text, hit) in [("pv55*es", "pv55*es"), ("cvmm*ng lol", "cvmm*ng")] {
        assert_eq!(hits(&f, text), [hit], "{text}");
    }
    // Not a term of five letters or fewer ("navy", Spanish "estuvo"), and
    // never an allowed word, which would cancel what it overlaps.
    for text in ["na_vy", "*st*v*", "n*vy"] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
    let venus = filter("mound of venus | moderate", "uranus");
    assert_eq!(hits(&venus, "a mound of v*nus"), ["mound of v*nus"]);
}

#[test]
fn a_censored_reading_an_allowed_word_shares_is_not_a_match() {
    let f = filter("shit | moderate", "shot");
    assert!(hits(&f, "sh*t").is_empty());
    assert_eq!(hits(&filter("shit | moderate", ""), "sh*t"), ["sh*t"]);
}

#[test]
fn a_masked_word_stays_a_word_whatever_the_mask() {
    for mask in ['*', '█', '#'] {
        let f = FilterBuilder::new().mask(mask).build().unwrap();
        // Masking "t*s" must not leave "f you" behind.
        let verdict = f.review("f?t*s you");
        let masked = verdict.masked.expect("the censored word is masked");
        assert_eq!(f.review(&masked).action, Action::Allow, "{masked}");
    }
}

/// The distinct matched spans of `text`, in order.
fn spans(filter: &Filter, text: &str) -> Vec<String> {
    let mut found = hits(filter, text);
    found.dedup();
    found
}

/// Whether reviewing `text` denies it or masks every character of it but
/// whitespace.
fn masks_all_of(filter: &Filter, text: &str) -> bool {
    let all: String = text
        .chars()
        .map(|c| if c.is_whitespace() { c } else { '*' })
        .collect();
    let verdict = filter.review(text);
    verdict.action == Action::Deny || verdict.masked.as_deref() == Some(all.as_str())
}

/// The lists the disguise tests below match against.
fn disguise_filter() -> Filter {
    filter(
        "*fuck* | moderate\ntwat* | moderate\nwank* | moderate\nshit* | moderate\n\
         *shit | moderate\narse* | moderate\n*cunt* | moderate\nbitch* | moderate\n\
         dick* | moderate\nnigg* | severe\nass | moderate\npenis | moderate\n\
         boner | moderate\nahole* | moderate\ntit | moderate\ntits | moderate\n\
         whore | moderate\nslut | moderate\nschlong | moderate",
        "",
    )
}

#[test]
fn words_split_by_marks_inside_a_token_are_joined() {
    let f = disguise_filter();
    for text in [
        "fu.ck",
        "f.uck",
        "f-uck",
        "a.rse",
        "c.unt",
        "s.hit",
        "t.wat",
        "w.ank",
        "m.otherf.ucker",
        "c.untyb.ollocks",
        "a-hole",
    ] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    // The match covers the whole token, so masking hides every piece.
    assert_eq!(
        f.review("oh f.uck off").masked.as_deref(),
        Some("oh ***** off")
    );
    // Hyphenated and dotted words join into nothing listed.
    for text in [
        "x-ray",
        "e-mail",
        "t-shirt",
        "co-op",
        "well-known",
        "re-do",
        "as-is",
        "U.S. hit",
        "i.e. it",
        "e.g. shirts",
    ] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn words_split_by_spaces_are_joined_only_from_fragments() {
    let f = disguise_filter();
    for text in [
        "fu ck",
        "f uck",
        "f uc k",
        "f uc king",
        "t wat",
        "twa t",
        "wan k er",
        "wan k ers",
        "s hit",
    ] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    assert_eq!(spans(&f, "well fu ck you"), ["fu ck"]);
    // Ordinary words, and pieces that read like words or abbreviations.
    for text in [
        "pen is",
        "is hit",
        "it's hit",
        "that's hit",
        "the bus hit a pole",
        "pen island",
        "the assassin",
        "Essex and Sussex",
        "a s s e m b l y",
        "as sure",
        "but then",
        "tw abuse",
        "tw: at school",
        "t watch",
        "who re",
        "sl ut",
        "sch long",
        "tt wat",
        "a ss",
        "bone rs",
    ] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn marks_between_letters_hide_as_many_letters_as_they_are_long() {
    let f = disguise_filter();
    for text in [
        "f--k", "f---ing", "f-----g", "f__king", "f__kin", "f'ck", "f>>k", "f()()k", "f()()ker",
        "f[_]cker", "f***ing",
    ] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    assert_eq!(spans(&f, "mother f---ers"), ["f---ers"]);
    // Contractions and possessives hide nothing: not "anus", "penis", "tits".
    for text in [
        "it's",
        "we'll",
        "who're",
        "Pen's",
        "Ti's",
        "c'mon",
        "o'clock",
        "I was--well--no",
    ] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn x_at_and_dollar_may_hide_a_letter_of_a_listed_word() {
    let f = disguise_filter();
    for text in [
        "fuxk", "bitxh", "Bitxhes", "dxck", "shxt", "dxxkhead", "fu@k", "fu@ker", "f@@@ing",
        "f$cks",
    ] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    // Only a vowel, `c` or `k`, and only where a listed word reads.
    for text in [
        "sex", "fox", "box", "boxer", "boxers", "taxi", "Dixie", "mixer", "text", "xxx", "$5",
    ] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn look_alike_letters_inside_words() {
    let f = disguise_filter();
    for text in [
        "shlt", "nlgger", "nlggor", "tvvat", "tvvats", "SHlT", "sHIT",
    ] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    let hell = filter("hell | moderate", "");
    assert_eq!(spans(&hell, "go to heII"), ["heII"]);
    for text in ["world", "pls", "plss", "savvy", "McIntosh"] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn a_mark_beside_a_space_still_hides_letters() {
    let f = disguise_filter();
    for text in ["c *nt!", "c *nts!", "c* nt", "f ***ing"] {
        assert!(!spans(&f, text).is_empty(), "{text}");
    }
    for text in [
        "a **bold** claim",
        "I *love* you",
        "is *hit* me",
        "f *** you",
        "u * me",
    ] {
        assert!(
            spans(&f, text)
                .iter()
                .all(|s| !s.contains(char::is_alphabetic)),
            "{text}"
        );
    }
}

#[test]
fn symbols_trimmed_from_a_word_may_end_it() {
    let f = disguise_filter();
    // A tail after a look-alike of i or l too (`sh1+`).
    for text in ["sh!+", "shi+", "sh!t!", "sh1+"] {
        assert_eq!(f.review(text).action, Action::Mask, "{text}");
    }
    // The word's letters are masked; the trailing symbols are not in the
    // normalised text.
    assert_eq!(f.review("oh sh!+").masked.as_deref(), Some("oh **!+"));
    for text in [
        "wow!",
        "hi!",
        "yes!!",
        "C++",
        "A+",
        "grade B+",
        "ok!!!",
        "level B1+",
    ] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn symbols_alone_and_around_digits_read_as_letters() {
    let f = disguise_filter();
    for text in ["@$$", "$#1t", "sh1t"] {
        assert!(masks_all_of(&f, text), "{text}");
    }
    for text in ["$$$", "$5", "@ me", "<3"] {
        assert!(spans(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn a_word_with_every_vowel_behind_a_mark_reads_one_vowel_a_mark() {
    let f = filter(
        "nazis | moderate\nshit* | moderate\nraper | moderate\nvaginal | moderate",
        "",
    );
    // Three consonants between marks are a frame, not letters spelled out;
    // an `l` is one of them (`v*g*n*l`).
    for text in [
        "n*z*s",
        "such a r#p#r move",
        "v*g*n*l",
        "v?g?n?l",
        "v~g~n~l",
    ] {
        assert_eq!(hits(&f, text).len(), 1, "{text}");
    }
    // Each mark hides one vowel, never two letters: "step", not `shit*`.
    assert!(hits(&f, "s*t*p").is_empty());
    // Letters that show a vowel are still spelled out.
    assert_eq!(hits(&filter("shit | moderate", ""), "s*h*i*t"), ["s*h*i*t"]);
}

#[test]
fn an_i_beside_an_l_written_alike_is_one_run() {
    let f = filter(
        "kill yourself | severe\nclit | moderate\ncunnilingus | moderate",
        "",
    );
    // `l` for `i`, or the wildcard for both, collapses the pair into one run.
    for text in ["klll yourself", "k!11 yourself", "you cllt", "cunnlllngus"] {
        assert_eq!(hits(&f, text).len(), 1, "{text}");
    }
    // A pair written with the wildcard shares its letters among its runs.
    for text in ["k11l yourself", "k!1l yourself"] {
        assert_eq!(hits(&f, text).len(), 1, "{text}");
    }
    assert!(hits(&f, "k!l yourself").is_empty(), "one letter short");
    // The run must be as long as the letters it stands for: `kll` is not
    // `kill`, and a run of `i` is not a chain written alike.
    for text in [
        "kll yourself",
        "kiiil yourself",
        "all yourself",
        "skill yourself",
    ] {
        assert!(hits(&f, text).is_empty(), "{text}");
    }
}

#[test]
fn a_moderate_phrase_reads_l_for_i_twice_not_once() {
    let f = filter("jail bait | moderate\nkill yourself | severe", "");
    assert_eq!(hits(&f, "such a jall balt move").len(), 1);
    // One `l` may be another word; a severe phrase is read with one.
    assert!(hits(&f, "jail balt").is_empty());
    assert_eq!(hits(&f, "klll yourself").len(), 1);
}
