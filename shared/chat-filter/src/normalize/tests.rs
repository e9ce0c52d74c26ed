use super::*;

fn norm(text: &str) -> String {
    let mut n = Normalized::default();
    n.normalize(text);
    String::from_utf8(n.as_bytes().to_vec()).unwrap()
}

#[test]
fn ascii_table_is_aligned() {
    assert_eq!(ASCII_LOWER.len(), 128);
    for b in 0u8..128 {
        let i = b as usize;
        assert_eq!(ASCII_LOWER.as_bytes()[i], b.to_ascii_lowercase(), "{b}");
    }
}

#[test]
fn folds_case_width_accents_and_look_alikes() {
    assert_eq!(norm("HeLLo"), "helo");
    assert_eq!(norm("ｆｕｃｋ"), "fuck");
    assert_eq!(norm("𝐟𝐮𝐜𝐤 𝓯𝓾𝓬𝓴"), "fuck fuck");
    assert_eq!(norm("ⓕⓤⓒⓚ 🅵🆄🅲🅺"), "fuck fuck");
    assert_eq!(norm("fսck ѕhіt"), "fuck shit");
    assert_eq!(norm("fúçk"), "fuck");
    assert_eq!(norm("ᴄᴜɴᴛ"), "cunt");
}

#[test]
fn drops_invisible_characters_and_overlays() {
    assert_eq!(norm("f\u{200B}u\u{200D}c\u{FEFF}k"), "fuck");
    assert_eq!(norm("f̶u̶c̶k̶"), "fuck");
    assert_eq!(norm("s\u{0336}h\u{0336}i\u{0336}t\u{0336}"), "shit");
}

#[test]
fn reads_leetspeak_only_inside_words_with_letters() {
    assert_eq!(norm("sh1t a$$ @ss b!tch ph0ck"), "sh!t as as b!tch phock");
    assert_eq!(
        norm("it costs $5 or 100 at 4:20"),
        "it costs 5 or 10 at 4 20"
    );
    assert_eq!(norm("(hello) wow! *hug* #tag"), "helo wow hug tag");
}

#[test]
fn collapses_repeats_and_records_their_length() {
    let mut n = Normalized::default();
    n.normalize("fuuuuck ass");
    assert_eq!(n.as_bytes(), b"fuck as");
    assert_eq!(n.run_lengths(), &[1, 4, 1, 1, 1, 1, 2]);
}

#[test]
fn joins_spelled_out_words_but_not_neighbours() {
    assert_eq!(norm("f u c k"), "fuck");
    assert_eq!(norm("f.u.c.k you"), "fuck you");
    assert_eq!(norm("f_u-c k\tthis"), "fuck this");
    assert_eq!(norm("s-h-1-t"), "sh!t");
    assert_eq!(norm("f*u*c*k f!u!c!k s^h^i^t"), "fuck fuck shit");
    assert_eq!(norm("a*b f*ck"), "a*b f*ck");
    // A masked word between single letters keeps them apart.
    assert_eq!(norm("f.u.*****.k"), "f u * k");
    assert_eq!(norm("f?*** you"), "f * you");
    assert_eq!(norm("hello !!! world"), "helo world");
    assert_eq!(norm("the assassin"), "the asasin");
    assert_eq!(norm("a s s e m b l y"), "asembly");
    assert_eq!(norm("a b"), "a b");
}

#[test]
fn self_censoring_inside_words() {
    assert_eq!(norm("f*ck sh*t f**k f^ck fu&k"), "f*ck sh*t f*k f*ck fu*k");
    assert_eq!(norm("fu<k <unt"), "fuck cunt");
    // A lone mark reads as a censored word of its own.
    assert_eq!(norm("you & me <3 50%"), "you * me 3 50");
}

#[test]
fn spans_map_back_to_the_original() {
    let mut n = Normalized::default();
    let text = "Oh ｆｕｃｋ!";
    n.normalize(text);
    assert_eq!(n.as_bytes(), b"oh fuck");
    let span = n.original_span(3..7);
    assert_eq!(&text[span], "ｆｕｃｋ");
    let text = "f.u.c.k";
    n.normalize(text);
    assert_eq!(n.original_span(0..4), 0..7);
}

#[test]
fn keeps_other_scripts_and_emoji_safe() {
    assert_eq!(norm("Привет мир"), norm("Привет мир"));
    assert_eq!(norm("👍🏽 ok 👨‍👩‍👧"), "ok");
    assert_eq!(norm("日本語"), "日本語");
    assert_eq!(norm(""), "");
}
