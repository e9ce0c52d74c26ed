//! Regenerates `src/normalize/fold_table.rs` from Unicode's own data and
//! checks that the committed table is current.
//!
//! The engine folds look-alike characters to ASCII with a static table
//! instead of linking the Unicode data crates, which keeps the review binary
//! small and its start-up free of table building. This test is the table's
//! source of truth: it derives every entry from
//!
//! * compatibility decomposition (NFKD) with combining marks removed, which
//!   folds fullwidth, mathematical, circled, superscript and accented letters;
//! * UTS #39 confusable skeletons, which fold Cyrillic, Greek and other
//!   look-alikes (`а` → `a`, `ѕ` → `s`);
//! * the enclosed-alphanumeric blocks that carry no decomposition
//!   (🅵, 🄵, regional indicators), which are runs of A–Z by construction,
//!   and the parenthesized letters (🄐, ⒜), whose decomposition keeps the
//!   parentheses (`(a)`) and would split the word they are written in;
//! * two hand tables: [`SUPPLEMENT`] (small capitals and letters read by
//!   shape) and [`EVASION_SUPPLEMENT`] (symbols, CJK and other-script glyphs
//!   that evaders use as Latin letters), which only fill gaps: the test
//!   `evasion_supplement_only_fills_gaps` checks that no entry of the latter
//!   changes a reading Unicode's data already gives.
//!
//! Run `UPDATE_FOLD_TABLE=1 cargo test -p chat-filter --test fold_table` to
//! rewrite the table after upgrading the Unicode crates.

use std::fmt::Write as _;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const TABLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/normalize/fold_table.rs");

/// Blocks of 26 consecutive letter look-alikes, A to Z: squared, negative
/// circled, negative squared and regional-indicator capitals (no
/// decomposition), and parenthesized capitals (🄐) and small letters (⒜),
/// whose decomposition `(a)` would read the parentheses as punctuation and
/// split `🄐ss` into `a ss`: one glyph is one letter.
const LETTER_RUNS: [u32; 6] = [0x1F110, 0x1F130, 0x1F150, 0x1F170, 0x1F1E6, 0x249C];

/// Look-alikes that "fancy text" generators use but UTS #39 does not map to
/// ASCII: Latin small capitals, and Greek and Cyrillic lowercase letters read
/// by shape. Checked before the skeleton.
const SUPPLEMENT: &[(char, &str)] = &[
    ('ᴀ', "a"),
    ('ʙ', "b"),
    ('ᴄ', "c"),
    ('ᴅ', "d"),
    ('ᴇ', "e"),
    ('ꜰ', "f"),
    ('ɢ', "g"),
    ('ʜ', "h"),
    ('ɪ', "i"),
    ('ᴊ', "j"),
    ('ᴋ', "k"),
    ('ʟ', "l"),
    ('ᴍ', "m"),
    ('ɴ', "n"),
    ('ᴏ', "o"),
    ('ᴘ', "p"),
    ('ꞯ', "q"),
    ('ʀ', "r"),
    ('ꜱ', "s"),
    ('ᴛ', "t"),
    ('ᴜ', "u"),
    ('ᴠ', "v"),
    ('ᴡ', "w"),
    ('ʏ', "y"),
    ('ᴢ', "z"),
    ('ß', "ss"),
    ('α', "a"),
    ('β', "b"),
    ('γ', "y"),
    ('ε', "e"),
    ('κ', "k"),
    ('μ', "u"),
    ('ν', "v"),
    ('ο', "o"),
    ('ρ', "p"),
    ('τ', "t"),
    ('υ', "u"),
    ('χ', "x"),
    ('ω', "w"),
    // Final and lunate sigma, the round `c` of `fυςκ` (found by the
    // disguise matrix); small σ keeps its skeleton `o`. A Greek word ends in
    // ς, so it reads as a word ending in `c`, and no term ends in a `c` that
    // Greek letters can spell before it.
    ('ς', "c"),
    ('ϲ', "c"),
    // Latin tone six, a `b` (`ƅitch`).
    ('ƅ', "b"),
    // Capital Б skeletons to `b` but small б to `6`: both read `6`, so that
    // a Russian term matches whatever the case of its first letter
    // ("Блядь" at the start of a sentence).
    ('б', "6"),
    ('в', "b"),
    ('г', "r"),
    ('д', "d"),
    ('к', "k"),
    ('м', "m"),
    ('н', "h"),
    ('п', "n"),
    ('т', "t"),
    ('ш', "w"),
    ('ь', "b"),
    ('ѕ', "s"),
    ('і', "i"),
    ('ј', "j"),
    ('ғ', "f"),
    ('ĸ', "k"),
    ('ᑕ', "c"),
    ('ᑌ', "u"),
    ('ᑎ', "n"),
    ('ᗪ', "d"),
    ('ᕼ', "h"),
    ('ᒪ', "l"),
    ('ᗩ', "a"),
    ('ᗷ', "b"),
    ('ᖴ', "f"),
    ('ᔕ', "s"),
    ('⊂', "c"),
    ('∪', "u"),
    ('∩', "n"),
    ('ℓ', "l"),
];

/// Glyphs that "fancy text" generators and evaders write for Latin letters
/// and that neither decomposition nor UTS #39 maps to ASCII, collected from
/// disguised profanity seen in chat (`AN∂L`, `F凵匚K`, `იiუუer`). Keys are
/// lowercase (the capital folds through its lowercase). Each entry must
/// only fill a gap: `evasion_supplement_only_fills_gaps` fails if one
/// changes a reading Unicode's data already gives.
///
/// A glyph that is a letter of a living script joins the table only if the
/// words of that script cannot fold into a block-list term: a word reaches
/// the block list only through its ASCII letters, and an unmapped letter
/// keeps its own bytes, which no term contains. So a mapped letter matters
/// only in a word made entirely of mapped letters (or in a run of them);
/// the notes on each group say why those runs stay innocent.
const EVASION_SUPPLEMENT: &[(char, &str)] = &[
    // Symbols read by shape. None is a letter of any script, so text that
    // uses them as symbols (`∂f/∂x`, a lightning arrow) becomes words of a
    // letter or two, which no term is.
    ('∂', "a"), // partial differential: a round `a` (`AN∂L`)
    ('↯', "s"), // zigzag arrow: a lightning `s` (`PU↯↯Y`)
    ('ϟ', "s"), // Greek koppa, the numeral: the same lightning `s` (`PUϟϟY`)
    ('†', "t"), // dagger: a `t` (`Sugar_†its`); alone (`† 1990`) a lone letter
    // The emoji exclamation marks read like `!`: an `i` or `l` inside a
    // word (`ℌit❗er`), punctuation at its edges (`wow❗`).
    ('❗', "!"),
    ('❕', "!"),
    // Latin letters outside Unicode's confusables: IPA turned a, read as
    // the letter it turns, and the barred c of some African orthographies,
    // which looks like the euro sign and is read as `e` like `€`.
    ('ɐ', "a"), // turned a, capital Ɐ (`Ɐss`)
    ('ꞓ', "e"), // c with bar (`sꞒꞓx`)
    // Cyrillic ka with a vertical stroke (obsolete Azerbaijani Cyrillic),
    // the `k` of the "Asian style" fancy alphabet (`千ㄩ匚Ҝ`).
    ('ҝ', "k"),
    // Cyrillic ha with descender (Abkhaz, Tajik), read like the plain ha
    // that Unicode's data already folds to `x` (`seҳ`); and the Lisu letter
    // kha, a turned `K` (`Bigꓘnob`), beside the Lisu letters UTS #39
    // already maps to Latin capitals.
    ('ҳ', "x"),
    ('ꓘ', "k"),
    // CJK ideographs and a Bopomofo letter from the same fancy alphabet.
    // 凵 (open box), 匚 and 匸 (box and hiding enclosures) are radicals that
    // ordinary Chinese and Japanese text does not write on their own; 千
    // (thousand) is common, but a CJK sentence has no spaces, so 千 folds to
    // a lone `f` between unmapped ideographs, and no term is one letter.
    // ㄩ is the Bopomofo vowel ü, which Taiwanese chat types alone or
    // between other Bopomofo letters, none of which fold to a consonant
    // that could complete a term with it. Left out: fancy-text glyphs that
    // are everyday words (乃 b, 几 n, 山 w, 尺 r, 乙 z, 爪 m) and the
    // Hangul syllable 유 (`H유ŦLⓔR`), a common Korean syllable.
    ('千', "f"),
    ('凵', "u"),
    ('ㄩ', "u"),
    // ㄨ, the Bopomofo vowel u, is the fancy alphabet's `x` (`SEㄨY`); the
    // Bopomofo letters beside it do not fold, so Taiwanese input reads as
    // lone letters.
    ('ㄨ', "x"),
    ('匚', "c"),
    ('匸', "c"),
    // Coptic letters read by shape (`ⲁⲋⲋⲏⲑⲒⲉ`); UTS #39 already maps most
    // of the alphabet (ⲟ, ⲣ, ⲥ, Ⲏ...). Coptic is only liturgical today.
    ('ⲁ', "a"),
    ('ⲉ', "e"),
    ('ⲋ', "s"),
    ('ⲏ', "h"),
    // Georgian, Ethiopic and Arabic letters that slur evaders use for `n`,
    // `i` and `g` (`იiუუer`, `በነეეεrs`, `𝐍ιووεr`). These are common
    // letters of living languages; with the letters UTS #39 already maps
    // (Georgian თ o, ყ y; Ethiopic ሀ u, ዐ o; Arabic ا l, ه o) a word made
    // only of mapped letters folds to letters from {n, g, o, y, s, h, z},
    // {n, i, u, o} or {l, o, g, v}, and no block-list term is spelled from
    // one of those sets (`lookalikes_and_art.rs` checks common words).
    ('ი', "n"),
    ('უ', "g"),
    ('ე', "g"),
    ('በ', "n"),
    ('ነ', "i"),
    ('و', "g"),
];

/// The hand tables, in the order they are consulted.
const HAND_TABLES: [&[(char, &str)]; 2] = [SUPPLEMENT, EVASION_SUPPLEMENT];

/// What `c` reads as, consulting the hand `tables` before the skeleton.
fn fold_char_to_ascii(c: char, tables: &[&[(char, &str)]]) -> Option<String> {
    for start in LETTER_RUNS {
        if (start..start + 26).contains(&(c as u32)) {
            return Some(((b'a' + (c as u32 - start) as u8) as char).to_string());
        }
    }
    let mut out = String::new();
    for d in c.to_string().nfkd().filter(|d| !is_combining_mark(*d)) {
        if d.is_ascii() {
            out.push(d.to_ascii_lowercase());
            continue;
        }
        let lower: String = d.to_lowercase().collect();
        if let Some((_, ascii)) = tables
            .iter()
            .flat_map(|table| table.iter())
            .find(|(k, _)| lower.starts_with(*k) && lower.chars().count() == 1)
        {
            out.push_str(ascii);
            continue;
        }
        if lower.is_ascii() {
            out.push_str(&lower);
            continue;
        }
        let skeleton = |s: &str| -> Option<String> {
            let sk: String = unicode_security::skeleton(s)
                .filter(|x| !is_combining_mark(*x))
                .collect();
            (!sk.is_empty() && sk.len() <= 3 && sk.chars().all(|x| x.is_ascii_alphanumeric()))
                .then(|| sk.to_ascii_lowercase())
        };
        out.push_str(&skeleton(&d.to_string()).or_else(|| skeleton(&lower))?);
    }
    let useful =
        !out.is_empty() && out.len() <= 4 && out.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    useful.then_some(out)
}

fn generate() -> String {
    let mut folds = Vec::new();
    let mut marks: Vec<(u32, u32)> = Vec::new();
    for code in 0x80u32..=0x10FFFF {
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        if is_combining_mark(c) {
            match marks.last_mut() {
                Some((_, end)) if *end + 1 == code => *end = code,
                _ => marks.push((code, code)),
            }
            continue;
        }
        if let Some(ascii) = fold_char_to_ascii(c, &HAND_TABLES) {
            folds.push((code, ascii));
        }
    }
    let mut out = String::new();
    out.push_str("// @generated by tests/fold_table.rs from Unicode ");
    let _ = write!(out, "{:?}", unicode_security::UNICODE_VERSION);
    out.push_str(" data. Do not edit by hand.\n\n");
    out.push_str("//! The fold table of step 1 (`fold.rs`): data, not code, and one piece\n");
    out.push_str("//! because it is generated whole; its length is the number of Unicode\n");
    out.push_str("//! characters that read as ASCII.\n\n");
    out.push_str("/// Non-ASCII characters that read as ASCII, sorted by code point: the\n");
    out.push_str("/// reading is up to four bytes, padded with NUL (eight bytes an entry\n");
    out.push_str("/// keeps the table, and so the review binary, small).\n");
    out.push_str("pub(crate) static FOLDS: &[(u32, [u8; 4])] = &[\n");
    for (code, ascii) in &folds {
        let mut padded = [0u8; 4];
        padded[..ascii.len()].copy_from_slice(ascii.as_bytes());
        let _ = writeln!(
            out,
            "    (0x{code:X}, [{}, {}, {}, {}]),",
            padded[0], padded[1], padded[2], padded[3]
        );
    }
    out.push_str("];\n\n/// Ranges of combining marks (inclusive), sorted.\n");
    out.push_str("pub(crate) static COMBINING_MARKS: &[(u32, u32)] = &[\n");
    for (start, end) in &marks {
        let _ = writeln!(out, "    (0x{start:X}, 0x{end:X}),");
    }
    out.push_str("];\n");
    out
}

#[test]
fn fold_table_is_generated_from_current_unicode_data() {
    let generated = generate();
    if std::env::var_os("UPDATE_FOLD_TABLE").is_some() {
        std::fs::write(TABLE_PATH, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(TABLE_PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "src/normalize/fold_table.rs is out of date: run \
         UPDATE_FOLD_TABLE=1 cargo test -p chat-filter --test fold_table"
    );
}

#[test]
fn evasion_supplement_only_fills_gaps() {
    // Every entry, and the capital that folds through it, must have no
    // reading from Unicode's data and the older supplement alone, or the
    // same one (Coptic Ⲏ already reads `h`, its small letter did not): the
    // hand table adds readings, it never changes one.
    for &(key, ascii) in EVASION_SUPPLEMENT {
        assert_eq!(
            key.to_lowercase().collect::<String>(),
            key.to_string(),
            "{key:?}: supplement keys are lowercase"
        );
        let forms = std::iter::once(key).chain(key.to_uppercase());
        for form in forms {
            let prior = fold_char_to_ascii(form, &[SUPPLEMENT]);
            assert!(
                prior.is_none() || prior.as_deref() == Some(ascii),
                "{form:?} already reads {prior:?}; the supplement would change it to {ascii:?}"
            );
            assert_eq!(
                fold_char_to_ascii(form, &HAND_TABLES).as_deref(),
                Some(ascii),
                "{form:?} does not fold through its entry"
            );
        }
    }
}
