use super::fold::{Folded, ASCII_LOWER};
use super::shapes::is_turned_letter;
use super::*;

fn norm(text: &str) -> String {
    let mut n = Normalized::default();
    n.normalize(text);
    String::from_utf8(n.as_bytes().to_vec()).unwrap()
}

#[test]
fn fold_cache_answers_as_the_tables_do() {
    let mut cache = FoldCache::default();
    // Twice over, so that the second pass reads slots the first filled and
    // characters sharing a slot evict each other.
    for _ in 0..2 {
        for c in ('\u{80}'..='\u{3000}').chain(['ɹ', 'ǝ', '∀', 'Ɐ', '⅄', '🍆']) {
            assert_eq!(cache.get(c), (Folded::of(c), is_turned_letter(c)), "{c:?}");
        }
    }
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
fn a_capital_i_beside_a_small_i_is_one_run_of_i() {
    let mut n = Normalized::default();
    n.normalize("sHIiit");
    assert_eq!(n.as_bytes(), b"shit");
    assert_eq!(n.run_lengths(), &[1, 1, 3, 1]);
    // Beside an `l`, or alone, the capital stays either letter.
    assert_ne!(norm("mIlf"), "mlf");
    assert!(norm("heII").as_bytes().contains(&EITHER_I_OR_L));
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
    // A one-letter word before spelled-out letters stays a word.
    assert_eq!(norm("such a c u n t"), "such a cunt");
    assert_eq!(norm("what a f.u.c.k"), "what a fuck");
    assert_eq!(norm("i d-i-c-k"), "i dick");
    assert_eq!(norm("u t w a t"), "u twat");
    assert_eq!(norm("a s s e s"), "ases");
    assert_eq!(norm("a n a l"), "anal");
    assert_eq!(norm("a.n.a.l"), "anal");
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

fn gaps(text: &str) -> Vec<Gap> {
    let mut n = Normalized::default();
    n.normalize(text);
    n.gaps.between.clone()
}

#[test]
fn records_what_separated_each_pair_of_words() {
    let joins = |count| Gap::Marks { count, joins: true };
    assert_eq!(gaps("fu ck"), [Gap::Space]);
    assert_eq!(
        gaps("fu.ck f-uck a_rse"),
        [joins(1), Gap::Space, joins(1), Gap::Space, joins(1)]
    );
    assert_eq!(gaps("f--k"), [joins(2)]);
    assert_eq!(
        gaps("f[_]cker"),
        [Gap::Marks {
            count: 3,
            joins: false
        }]
    );
    assert_eq!(
        gaps("f'ck"),
        [Gap::Marks {
            count: 1,
            joins: false
        }]
    );
    assert_eq!(
        gaps("f()()k"),
        [Gap::Marks {
            count: 4,
            joins: false
        }]
    );
    assert_eq!(gaps("hi, there"), [Gap::Other]);
    assert_eq!(
        gaps("c *nt c* nt"),
        [
            Gap::SpacedMarks { count: 1 },
            Gap::Space,
            Gap::SpacedMarks { count: 1 }
        ]
    );
    // Contractions and possessives end the word before; they hide nothing.
    assert_eq!(gaps("it's"), [Gap::Apostrophe]);
    assert_eq!(
        gaps("we'll don't Pen's"),
        [
            Gap::Apostrophe,
            Gap::Space,
            Gap::Apostrophe,
            Gap::Space,
            Gap::Apostrophe
        ]
    );
}

#[test]
fn letters_that_may_hide_others_are_recorded() {
    let mut n = Normalized::default();
    n.normalize("fuxk fu@k f$cks dxxkhead box");
    assert_eq!(n.as_bytes(), b"fuxk fuak fscks dxkhead box");
    let marks: Vec<u32> = n.letter_marks.clone();
    assert_eq!(marks, [2, 7, 11, 17, 26]);
    // A run of them is one mark hiding as many letters as it is long.
    assert_eq!(n.run_length(17), 2);
}

#[test]
fn reads_l_between_consonants_as_either_i_or_l() {
    assert_eq!(norm("shlt nlgger nlggor"), "sh!t n!ger n!gor");
    // Not where English puts an `l` between consonants.
    assert_eq!(
        norm("world Carlton pls plz plss help only"),
        "world carlton pls plz pls help only"
    );
    assert_eq!(norm("sh1t shit"), "sh!t shit");
}

#[test]
fn reads_capital_i_after_a_letter_as_either_i_or_l() {
    assert_eq!(norm("heII HeII HELL"), "he! he! hel");
    assert_eq!(norm("I think It is"), "i think it is");
    assert_eq!(norm("McIntosh"), "mc!ntosh");
}

#[test]
fn reads_double_v_as_w() {
    assert_eq!(norm("tvvat tvvats"), "twat twats");
    let mut n = Normalized::default();
    let text = "a tvvat";
    n.normalize(text);
    assert_eq!(&text[n.original_span(2..6)], "tvvat");
    // A longer run of `v` stays `v`s.
    assert_eq!(norm("vvv savvy"), "v sawy");
}

#[test]
fn reads_words_written_in_letter_symbols_alone() {
    assert_eq!(norm("@$$ $$$"), "as s");
    // Fewer than three symbols, or symbols that are not letters, do not.
    assert_eq!(norm("$5 @ me <3 $$"), "5 me 3");
}

#[test]
fn a_letter_like_symbol_starting_a_word_is_its_first_letter() {
    assert_eq!(norm("+wat"), "twat");
    assert_eq!(norm("+itties"), "tities");
    assert_eq!(norm("!!wow +1 !"), "wow 1");
    assert_eq!(norm("+w"), "w");
}

#[test]
fn symbols_trimmed_from_a_word_end_are_kept_as_its_tail() {
    let mut n = Normalized::default();
    n.normalize("sh!+ wow! shi+ a*");
    assert_eq!(n.as_bytes(), b"sh wow shi a");
    let tails: Vec<(u32, Vec<u8>)> = n
        .word_ends
        .tails
        .iter()
        .map(|(at, r)| (*at, r.iter().copied().take_while(|&b| b != 0).collect()))
        .collect();
    assert_eq!(
        tails,
        [(1, b"!t".to_vec()), (5, b"!".to_vec()), (9, b"t".to_vec())]
    );
}

#[test]
fn spelled_out_words_with_mixed_separators() {
    assert_eq!(norm("f*u.c+k"), "fuck");
    assert_eq!(norm("s.h*i-t+s"), "shits");
    assert_eq!(norm("s.+.f.u"), "stfu");
    assert_eq!(norm("s.h.!.+"), "sh!t");
    // Alone, or set apart by a space, a censored word stays one word.
    assert_eq!(norm("a f*g"), "a f*g");
    assert_eq!(norm("f*k"), "f*k");
    assert_eq!(norm("wow ! ok"), "wow ok");
    assert_eq!(norm("x+y"), "xty");
    // Spelled-out words one after the other stay apart.
    assert_eq!(norm("f u c k   y o u"), "fuck you");
    assert_eq!(norm("a r s e   b a n d i t"), "arse bandit");
    assert_eq!(norm("f u c k y o u"), "fuckyou");
    // Letters with marks between them join the letters beside them, within
    // a token or across one space from a spelled-out run.
    assert_eq!(norm("h.o.m*o*s"), "homos");
    assert_eq!(norm("l/e/z/z+i*e"), "lezie");
    assert_eq!(norm("g*r o~i-d"), "groid");
    assert_eq!(norm("h o.m*o*s"), "homos");
    // A contraction's ending is not the first letter of the word after it.
    assert_eq!(norm("that's f.e.c.k man"), "that s feck man");
    assert_eq!(norm("it's f u c k"), "it s fuck");
    // A run of letters stops before a token its marks broke or censored.
    assert_eq!(norm("a r-t-rd"), "a r t rd");
    assert_eq!(norm("a b c r-t-rd"), "abc r t rd");
}

#[test]
fn censoring_marks_against_word_edges_are_recorded() {
    let marks = |text: &str| {
        let mut n = Normalized::default();
        n.normalize(text);
        n.edge_marks
            .words
            .iter()
            .map(|m| (m.word, m.before, m.after))
            .collect::<Vec<_>>()
    };
    assert_eq!(marks("mof*"), [(0, 0, 1)]);
    assert_eq!(marks("gg *ssb*g ez"), [(1, 1, 0)]);
    assert_eq!(marks("omg asswip*!!"), [(1, 0, 1)]);
    assert_eq!(marks("^n^l"), [(0, 1, 0)]);
    // A hashtag, a question mark and marks inside a token are not edges.
    assert_eq!(marks("#tag why? a*b"), []);
    // Unless the word is censored inside: then they censor its edges too.
    assert_eq!(marks("#ssh#l#"), [(0, 1, 1)]);
    assert_eq!(marks("scr*t?"), [(0, 0, 1)]);
}

#[test]
fn numbers_with_units_and_prices_stay_numbers() {
    assert_eq!(
        norm("the 45s and 1980s at 10am"),
        "the 45s and 1980s at 10am"
    );
    assert_eq!(norm("a$5 shirt us$20"), "a 5 shirt us 20");
    // Leetspeak is still read.
    assert_eq!(norm("57fu a$$ a55 my4$5"), "stfu as as myas");
}

/// Everything a normalised message holds for the matcher, for comparing
/// the fast paths with the general path.
fn reading(n: &Normalized) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?}",
        n.bytes,
        n.spans,
        n.runs,
        n.folded,
        n.gaps.breaks,
        n.gaps.between,
        n.letter_marks,
        n.word_ends.tails,
        n.word_ends.censored,
        n.edge_marks.words,
        n.flipped.saw_turned,
        n.flipped.words().collect::<Vec<_>>(),
    )
}

fn assert_fast_path_reads_as_general(text: &str, mask: char) {
    let (mut fast, mut general) = (Normalized::default(), Normalized::default());
    fast.read(text, mask, true);
    general.read(text, mask, false);
    assert_eq!(
        reading(&fast),
        reading(&general),
        "{text:?} (mask {mask:?})"
    );
}

#[test]
fn plain_text_fast_path_reads_every_test_line_as_the_general_path() {
    let sets = [
        include_str!("../../testdata/test_positive.txt"),
        include_str!("../../testdata/test_negative.txt"),
        include_str!("../../testdata/safe.txt"),
        include_str!("../../testdata/false_positives.txt"),
        include_str!("../../benches/corpus/short.txt"),
        include_str!("../../benches/corpus/long.txt"),
    ];
    let mut plain = 0;
    for line in sets.iter().flat_map(|set| set.lines()) {
        for mask in ['*', '#', 'x'] {
            assert_fast_path_reads_as_general(line, mask);
        }
        plain += usize::from(Normalized::default().normalize_plain(line, '*'));
    }
    // The fast path must stay the common case, or it is not worth its code.
    assert!(plain > 20_000, "only {plain} lines took the fast path");
}

#[test]
fn plain_text_fast_path_reads_generated_text_as_the_general_path() {
    // Letters the plain readings treat apart (`vv`, `l` between
    // consonants, `x`, capital `I`), doubled letters and single-letter
    // words, in every mix.
    const ALPHABET: &[u8] = b"aAbcdIilLLrstvVxXyz    ";
    let mut rng = crate::eval::disguise::Rng::new(12);
    for _ in 0..20_000 {
        let len = rng.below(24);
        let text: String = (0..len)
            .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
            .collect();
        assert_fast_path_reads_as_general(&text, '*');
    }
    for text in [
        "", " ", "a b", "a b c", "a b cd", "i u a x", "HI", "hI", "tvvat", "vvv", "shlllt",
    ] {
        assert_fast_path_reads_as_general(text, '*');
        assert_fast_path_reads_as_general(text, ' ');
    }
}
