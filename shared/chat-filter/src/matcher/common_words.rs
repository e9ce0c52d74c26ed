//! The commonest short English words, which words split by spaces are
//! never read as pieces of.
//!
//! "pen is", "is hit" and "an al" are two words far more often than a
//! disguise, so the joined-words reading ([`super::joined`]) only joins
//! spaced pieces when one of them is a fragment no word looks like. The
//! table is a sorted list for people to read and a bitset built from it at
//! compile time for the hot path (a test keeps the two in agreement).

use crate::normalize::is_vowel;

/// The commonest English words of one to three letters, as normalised
/// (repeats collapsed: "all" is `al`, "too" is `to`), sorted. Words split by
/// spaces are only joined when at least one piece is not one of these, so
/// "pen is", "is hit" and "an al" stay apart.
const COMMON_WORDS: &[&[u8]] = &[
    b"a", b"ad", b"ado", b"ago", b"ah", b"aha", b"aid", b"aim", b"air", b"al", b"am", b"an",
    b"and", b"ant", b"any", b"ape", b"apt", b"arc", b"are", b"ark", b"arm", b"art", b"as", b"ash",
    b"ask", b"at", b"ate", b"aw", b"awe", b"ax", b"axe", b"aye", b"bad", b"bag", b"ban", b"bar",
    b"bat", b"bay", b"bc", b"be", b"bed", b"beg", b"bet", b"bf", b"bi", b"bib", b"bid", b"big",
    b"bin", b"bit", b"bo", b"bob", b"bog", b"bop", b"bow", b"box", b"boy", b"bra", b"brb", b"bro",
    b"btw", b"bud", b"bug", b"bum", b"bun", b"bus", b"but", b"buy", b"by", b"bye", b"can", b"cap",
    b"car", b"cat", b"cm", b"co", b"cod", b"cog", b"con", b"cop", b"cot", b"cow", b"coy", b"cry",
    b"cu", b"cub", b"cud", b"cue", b"cup", b"cur", b"cut", b"da", b"dab", b"dad", b"dam", b"day",
    b"de", b"den", b"dew", b"did", b"die", b"dig", b"dim", b"din", b"dip", b"dm", b"do", b"doe",
    b"dog", b"don", b"dot", b"dr", b"dry", b"dub", b"due", b"dug", b"duh", b"duo", b"dye", b"e",
    b"ear", b"eat", b"eg", b"ego", b"eh", b"el", b"elf", b"elk", b"elm", b"em", b"emu", b"end",
    b"eon", b"er", b"era", b"ere", b"erm", b"eve", b"ewe", b"ex", b"eye", b"fad", b"fan", b"far",
    b"fat", b"fax", b"fe", b"fed", b"few", b"fib", b"fig", b"fin", b"fir", b"fit", b"fix", b"flu",
    b"fly", b"fob", b"foe", b"fog", b"for", b"fox", b"fro", b"fry", b"fun", b"fur", b"g", b"gab",
    b"gag", b"gal", b"gap", b"gas", b"gel", b"gem", b"get", b"gf", b"gig", b"gin", b"go", b"god",
    b"got", b"gum", b"gun", b"gut", b"guy", b"gym", b"ha", b"had", b"hag", b"ham", b"has", b"hat",
    b"hay", b"he", b"hem", b"hen", b"her", b"hew", b"hey", b"hi", b"hid", b"him", b"hip", b"his",
    b"hit", b"hm", b"ho", b"hob", b"hog", b"hop", b"hot", b"how", b"hr", b"hub", b"hue", b"hug",
    b"huh", b"hum", b"hut", b"i", b"ice", b"icy", b"id", b"if", b"il", b"ilk", b"im", b"imp",
    b"in", b"ink", b"ion", b"ire", b"irk", b"is", b"it", b"its", b"ivy", b"jab", b"jam", b"jar",
    b"jaw", b"jay", b"jet", b"jig", b"jk", b"job", b"jog", b"jot", b"joy", b"jug", b"keg", b"key",
    b"kg", b"kid", b"kin", b"kit", b"km", b"lab", b"lad", b"lag", b"lap", b"law", b"lay", b"le",
    b"led", b"leg", b"let", b"lid", b"lie", b"lip", b"lit", b"lmk", b"lo", b"lob", b"log", b"lol",
    b"lot", b"low", b"m", b"ma", b"mad", b"man", b"map", b"mar", b"mat", b"maw", b"may", b"me",
    b"men", b"met", b"mid", b"mix", b"mob", b"mod", b"mom", b"mop", b"mow", b"mr", b"ms", b"mu",
    b"mud", b"mug", b"mum", b"my", b"nab", b"nag", b"nah", b"nan", b"nap", b"nay", b"nd", b"net",
    b"new", b"ngl", b"nib", b"nil", b"nip", b"nit", b"no", b"nod", b"nor", b"not", b"now", b"nu",
    b"nun", b"nut", b"nvm", b"o", b"oaf", b"oak", b"oar", b"oat", b"od", b"ode", b"of", b"oft",
    b"oh", b"oil", b"ok", b"old", b"on", b"one", b"opt", b"or", b"orb", b"ore", b"our", b"out",
    b"ova", b"owe", b"owl", b"own", b"ox", b"pa", b"pad", b"pal", b"pan", b"pap", b"par", b"pat",
    b"paw", b"pay", b"pc", b"pea", b"peg", b"pen", b"pep", b"per", b"pet", b"pew", b"pi", b"pie",
    b"pig", b"pin", b"pit", b"pl", b"pls", b"ply", b"plz", b"pm", b"pod", b"pop", b"pot", b"pow",
    b"pro", b"pry", b"pub", b"pug", b"pun", b"pup", b"pus", b"put", b"rag", b"ram", b"ran", b"rap",
    b"rat", b"raw", b"ray", b"rd", b"red", b"rem", b"rep", b"rib", b"rid", b"rig", b"rim", b"rip",
    b"rn", b"rob", b"rod", b"roe", b"rot", b"row", b"rub", b"rug", b"rum", b"run", b"rut", b"rye",
    b"sac", b"sad", b"sag", b"sap", b"sat", b"saw", b"say", b"se", b"sea", b"set", b"sew", b"she",
    b"shy", b"sin", b"sip", b"sir", b"sis", b"sit", b"six", b"ski", b"sky", b"sly", b"smh", b"so",
    b"sob", b"sod", b"son", b"sop", b"sow", b"soy", b"spa", b"spy", b"st", b"sty", b"sub", b"sue",
    b"sum", b"sun", b"sup", b"tab", b"tad", b"tag", b"tan", b"tap", b"tar", b"tax", b"tbh", b"te",
    b"tea", b"ted", b"ten", b"th", b"the", b"thx", b"thy", b"tic", b"tie", b"tin", b"tip", b"to",
    b"toe", b"ton", b"top", b"tot", b"tow", b"toy", b"try", b"tub", b"tug", b"tv", b"two", b"u",
    b"uh", b"up", b"ur", b"us", b"use", b"van", b"vat", b"vet", b"via", b"vie", b"vow", b"vs",
    b"wad", b"wag", b"war", b"was", b"wax", b"way", b"we", b"web", b"wed", b"wet", b"who", b"why",
    b"wig", b"win", b"wit", b"wo", b"woe", b"wok", b"won", b"wow", b"wtf", b"y", b"ya", b"yak",
    b"yam", b"yap", b"yaw", b"ye", b"yea", b"yen", b"yes", b"yet", b"yew", b"yo", b"you", b"yum",
    b"zap", b"zen", b"zip", b"zo",
];

/// A word of one to three lowercase letters as a number below 27³ (each
/// letter one base-27 digit from 1), unique per word; `None` for others.
const fn common_key(word: &[u8]) -> Option<usize> {
    if word.is_empty() || word.len() > 3 {
        return None;
    }
    let mut key = 0;
    let mut i = 0;
    while i < word.len() {
        let b = word[i];
        if !b.is_ascii_lowercase() {
            return None;
        }
        key = key * 27 + (b - b'a' + 1) as usize;
        i += 1;
    }
    Some(key)
}

/// [`COMMON_WORDS`] as a bitset over [`common_key`], for O(1) look-ups.
static COMMON_BITS: [u64; 27 * 27 * 27 / 64 + 1] = {
    let mut bits = [0u64; 27 * 27 * 27 / 64 + 1];
    let mut i = 0;
    while i < COMMON_WORDS.len() {
        match common_key(COMMON_WORDS[i]) {
            Some(key) => bits[key / 64] |= 1 << (key % 64),
            None => panic!("COMMON_WORDS holds one to three lowercase letters"),
        }
        i += 1;
    }
    bits
};

/// Whether `word` is one of [`COMMON_WORDS`].
pub(super) fn is_common_word(word: &[u8]) -> bool {
    common_key(word).is_some_and(|key| COMMON_BITS[key / 64] & (1 << (key % 64)) != 0)
}

/// Whether `word` is lowercase letters with no vowel and not a common word:
/// a fragment, if it is a single letter or a spaced window's last piece.
pub(super) fn is_vowelless_fragment(word: &[u8]) -> bool {
    word.iter().all(|&b| b.is_ascii_lowercase() && !is_vowel(b)) && !is_common_word(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_word_bitset_agrees_with_the_list() {
        let mut word = Vec::new();
        for len in 0..=4 {
            for n in 0..28usize.pow(len) {
                word.clear();
                let mut n = n;
                for _ in 0..len {
                    word.push(b"abcdefghijklmnopqrstuvwxyz!*"[n % 28]);
                    n /= 28;
                }
                assert_eq!(
                    is_common_word(&word),
                    COMMON_WORDS.binary_search(&&word[..]).is_ok(),
                    "{word:?}"
                );
            }
        }
    }
}
