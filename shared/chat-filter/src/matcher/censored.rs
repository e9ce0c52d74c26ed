//! The censored reading: marks that hide letters (`f*ck`, `f**k`,
//! `a**hole`, `motherf*****`, `fuxk`), read back as the terms they hide.
//!
//! A word of four or more letters may have one or two inner letters
//! self-censored ([`CENSORED`]: `f*ck`, `f**k`, `a**hole`, `as*hole`), or
//! as many as the mark's run is long, up to its end before a usual ending
//! (`f***ing`), unless an allowed word reads the same way. `x`, `@` and `$`
//! are compared like a censoring mark hiding a vowel, `c` or `k` (`fuxk`,
//! `dxck`, `fu@k`): never read unless a listed word results, and never a
//! consonant such as the `n` that would make "boxer" read "boner".
//!
//! A mark put into a whole word (`sh*it`, `slu*t`) may also hide nothing;
//! beside a vowel only when the term is that whole word, since inside a
//! longer word such a mark hides a vowel ("c*unty"). Measured on the
//! matrices: single breaks 60.8 → 69.4 %, the disguise matrix 88.21 →
//! 88.54 %, the harmless matrix unchanged (814 flagged); without the
//! whole-word condition it flagged 100 more harmless items, nearly all
//! "c*unty" and "c*untry".
//!
//! Phrases are read too (`g*ng bang`, `jail b*it`, `two g*rls one cup`):
//! a phrase may start up to three words before the mark's, and the mark
//! hides letters of one of its words, never the break between two. One
//! vowel censored went 78.4 → 95.9 % and censored capitals 78.0 → 95.6 %
//! (nearly all their misses were phrases), the disguise matrix 88.54 →
//! 89.58 %, with the harmless matrix at 813 flagged (814 before). Cost, in
//! instructions (`examples/review_passes.rs`): +2.3 % a short line for the
//! phrases and +2.8 % for the whole-word rule above (11,968 → 12,583
//! together), +2.2 % a 500-character message (326,234 → 333,292).
//!
//! One mark is read at a time, and the letters it keeps may hold later
//! marks, each hiding one vowel of the term (`bl*w j*b`, `l*ck my b*lls`,
//! `m*therf*cker`), when the reading is whole words: inside a longer word
//! the other marks would guess that word too ("w*rr*nty" read as `whore`,
//! "*bs*l*t*ly" as `slut`, both in the harmless matrix before the rule).
//! Measured on the matrices: vowels censored 84.5 → 88.2 %, censor symbols
//! 77.6 → 79.8 %, the disguise matrix 92.11 → 92.24 %, better_profanity's
//! benchmark 95.59 → 96.00 %; the harmless matrix,
//! `false_positives.txt` and the development sets unchanged (685 items, 30
//! lines). Cost: +2 instructions a short line (8,642 → 8,645), +0.02 % a
//! 500-character message. Rejected: `?` and `~` as censoring marks like
//! `*` (`f?ck`, `f~ck`, read today as a break): censor symbols went to 83
//! and 85 %, but 8 and 33 more harmless items were flagged ("f?r" as
//! `fker`, mixed separators such as "s~u s/p-i.c~i~o n*s" as `spics`).
//!
//! A censored word may also be respelled: the `u` of a listed word of six
//! letters or more may be written `v` (`pv55*es`, `kvmm*ng`), one way only
//! as in the automaton. Measured on every set: four more sentences of
//! better_profanity's benchmark flagged (94.48 → 95.03 %), no other verdict
//! changed; for shorter words "navy" written `na_vy` read as `nahuy`, and
//! for allowed words `v*nus` read as "uranus" and cancelled `mound of
//! v*nus`. Cost: +1.1 % a short line.
//!
//! Censored spellings are not in the automaton: they would outnumber all
//! the others put together, yet appear in few messages. Around each mark,
//! the text on either side is compared with the censorable terms (single
//! words of four or more letters) that start with the text before it: the
//! terms are sorted by bytes and bucketed by first byte, so the candidates
//! are one binary search away. That costs nothing at start-up and a few
//! hundred short comparisons per mark.
//!
//! Invariant: a reading is reported only through [`report`], which drops a
//! block reading when an allowed word reads the same stretch of text, and
//! through the common check of [`super::spellings`], so word positions are
//! tested in one place for every reading.

use std::ops::Range;

use super::first_byte::FirstByteBuckets;
use super::spellings::{check, Accept, Target};
use super::view::{word_end, word_start, View};
use super::{CompiledTerm, TermHit};
use crate::normalize::{is_vowel, Normalized, CENSORED, EITHER_I_OR_L, WORD_BREAK};

/// The fewest letters of a term whose `u` a censored word may write `v`.
const RESPELLED_MIN_LETTERS: usize = 6;

/// How many words before the mark's own a censored phrase may start
/// (`gang b*ng`, `two g*rls one cup`: the mark may be in any word).
const PHRASE_WORDS_BEFORE: usize = 3;

/// Endings a mark may stand beside once it hides the end of a term
/// (`f---ing`, `f***ers`, `f__kin`).
pub(super) const ENDINGS: &[&[u8]] = &[b"s", b"es", b"ed", b"er", b"ers", b"in", b"ing", b"ings"];

/// The letters a letter used as a mark (`x`, `@`, `$`) may hide: vowels and
/// the `c` and `k` of `fuxk` and `bitxh`. Keeping to these is what stops
/// "boxer" reading as "boner".
const LETTERS_A_MARK_HIDES: &[u8] = b"aeiouck";

/// A single-word term as normalised, compared with self-censored words.
#[derive(Debug, Clone)]
pub(super) struct Censorable {
    term: u32,
    bytes: Box<[u8]>,
    runs: Box<[u8]>,
    /// Whether it is a phrase of several words (kept: the search asks for
    /// every candidate).
    phrase: bool,
    /// Whether its `u` may be written `v` (`pv$$*es`, `d@vchebag`): a
    /// listed word's of six letters or more may. An allowed word's may not,
    /// or `v*nus` would read as the allowed "uranus" and cancel `mound of
    /// venus`; nor a shorter word's, since `na_vy` ("navy") would read as
    /// `nahuy` and `*st*v*` (Spanish "estuvo") as `stfu`.
    respelled: bool,
}

impl Censorable {
    /// The censorable form of term `term`, normalised as `bytes` with run
    /// lengths `runs`, if it is one: four or more letters, a single word or
    /// a phrase of words (`gang bang`, `jail bait`), the only terms whose
    /// self-censored spellings are unambiguous enough to match.
    pub(super) fn new(term: u32, bytes: &[u8], runs: &[u8], allow: bool) -> Option<Censorable> {
        let letters = |word: &[u8]| {
            !word.is_empty()
                && word
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b == EITHER_I_OR_L)
        };
        // A phrase's words are read one by one: each of them letters.
        let censorable = bytes.len() >= 4 && bytes.split(|&b| b == WORD_BREAK).all(letters);
        censorable.then(|| Censorable {
            term,
            bytes: bytes.into(),
            runs: runs.into(),
            phrase: bytes.contains(&WORD_BREAK),
            respelled: !allow && bytes.len() >= RESPELLED_MIN_LETTERS,
        })
    }

    /// The run length byte `i` needs (one past the term's end, for an
    /// ending's letters).
    fn run(&self, i: usize) -> u8 {
        self.runs.get(i).copied().unwrap_or(1)
    }

    /// Whether it is a phrase of several words.
    fn is_phrase(&self) -> bool {
        self.phrase
    }
}

/// The censorable terms, sorted by bytes and bucketed by first byte.
#[derive(Debug, Clone)]
pub(super) struct CensorableTerms {
    /// Sorted by bytes, so that the terms sharing a prefix are one run.
    terms: Vec<Censorable>,
    /// Where the terms starting with each byte lie in `terms`.
    by_first_byte: FirstByteBuckets,
}

impl CensorableTerms {
    pub(super) fn new(mut terms: Vec<Censorable>) -> CensorableTerms {
        // Terms arrive in term order: breaking ties by term gives the order
        // a stable sort would, without the stable sort's buffer.
        terms.sort_unstable_by(|a, b| a.bytes.cmp(&b.bytes).then(a.term.cmp(&b.term)));
        let by_first_byte = FirstByteBuckets::new(terms.iter().map(|c| c.bytes[0]));
        CensorableTerms {
            terms,
            by_first_byte,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// How many terms self-censored words are compared with.
    pub(super) fn len(&self) -> usize {
        self.terms.len()
    }

    /// The censorable terms that start with `prefix` (not empty): one run of
    /// the first byte's bucket, since the terms are sorted by bytes.
    fn starting_with(&self, prefix: &[u8]) -> &[Censorable] {
        let bucket = &self.terms[self.by_first_byte.range(prefix[0])];
        let from = bucket.partition_point(|c| &c.bytes[..] < prefix);
        let run = bucket[from..].partition_point(|c| c.bytes.starts_with(prefix));
        &bucket[from..from + run]
    }

    /// Reports the terms hidden by the censoring marks of `text` (`f*ck`)
    /// and by its letters that may stand for hidden ones (`fuxk`).
    pub(super) fn find_marked(
        &self,
        terms: &[CompiledTerm],
        text: &Normalized,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.is_empty() {
            return;
        }
        let whole = View::whole(text);
        let bytes = text.as_bytes();
        let mut found: Vec<CensoredReading> = Vec::new();
        for (mark, _) in bytes.iter().enumerate().filter(|(_, &b)| b == CENSORED) {
            if is_vowel_frame(bytes, mark) {
                continue;
            }
            found.clear();
            let hiding = Hiding {
                min: 0,
                max: usize::from(text.run_length(mark)).max(2),
                endings: true,
                letters: None,
            };
            self.find(terms, &whole, mark, hiding, &mut found);
            report(terms, &whole, &found, &|_, _| true, on_hit);
        }
        for &mark in &text.letter_marks {
            let mark = mark as usize;
            found.clear();
            let hiding = Hiding {
                min: 1,
                max: usize::from(text.run_length(mark)),
                endings: true,
                letters: Some(LETTERS_A_MARK_HIDES),
            };
            self.find(terms, &whole, mark, hiding, &mut found);
            report(terms, &whole, &found, &|_, _| true, on_hit);
        }
    }

    /// Reads the censoring marks after the word ending at byte `last` as
    /// the end of a term, hiding exactly as many letters as there are marks
    /// (`motherf*****`, `mother******`). The visible part must be four
    /// letters or more and the whole term's start, and no allowed word may
    /// read the same way, so that `f***` and `hell***` stay unread.
    pub(super) fn find_end(
        &self,
        terms: &[CompiledTerm],
        text: &Normalized,
        last: usize,
        marks: usize,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = text.as_bytes();
        let start = word_start(bytes, last);
        let visible = &bytes[start..=last];
        if visible.len() < 4 || !visible.iter().all(u8::is_ascii_lowercase) {
            return;
        }
        let hides_the_rest = |c: &&Censorable| {
            if c.is_phrase() {
                return false;
            }
            let hidden: usize = (visible.len()..c.bytes.len())
                .map(|i| usize::from(c.run(i)))
                .sum();
            hidden == marks && (0..visible.len()).all(|i| text.run_length(start + i) >= c.run(i))
        };
        let readings = self.starting_with(visible).iter().filter(hides_the_rest);
        if readings.clone().any(|c| terms[c.term as usize].allow) {
            return;
        }
        for reading in readings {
            on_hit(TermHit {
                term: reading.term as usize,
                range: start..last + 1,
                words: start..last + 1,
            });
        }
    }

    /// Collects the censorable terms the text around the mark at `mark` can
    /// be read as: the text before the mark starts the term, the text after
    /// it ends it, and the mark hides as many inner letters as `hiding`
    /// allows, or one copy of a doubled letter (`as*hole`). With
    /// `hiding.endings`, the mark may also hide the end of a term followed
    /// by a usual ending (`f***ing`, `f---ers`). Run lengths are checked
    /// here; word positions by the caller.
    pub(super) fn find(
        &self,
        terms: &[CompiledTerm],
        view: &View<'_>,
        mark: usize,
        hiding: Hiding,
        found: &mut Vec<CensoredReading>,
    ) {
        let bytes = view.bytes;
        let word = MarkedWord {
            bytes,
            runs: view.runs,
            mark,
            word_start: word_start(bytes, mark),
            word_end: word_end(bytes, mark),
            hiding,
        };
        // A reading keeps at least one letter after the mark, within its
        // word: a mark that ends its word (`sex`, `gr8`, `a$$`) reads as
        // nothing. Comparing such a mark with every term that starts like
        // its word was half of this reading's cost on a replay of 74,201
        // review events (callgrind: 81 M of 1,221 M instructions before).
        if word.word_end <= mark + 1 {
            return;
        }
        // A phrase may start in one of the words before the mark's; the
        // word's own starts come after, as before.
        let mut phrase_starts = [0usize; PHRASE_WORDS_BEFORE];
        let mut before = 0;
        let mut at = word.word_start;
        while before < PHRASE_WORDS_BEFORE && at >= 2 && bytes[at - 1] == WORD_BREAK {
            at = word_start(bytes, at - 1);
            phrase_starts[before] = at;
            before += 1;
        }
        let starts = phrase_starts[..before]
            .iter()
            .rev()
            .copied()
            .chain(word.word_start..mark);
        for start in starts {
            let left = &bytes[start..mark];
            let left_has_wildcard = left.iter().any(|&b| b == EITHER_I_OR_L || b == b'v');
            let firsts: &[u8] = match bytes[start] {
                EITHER_I_OR_L => b"il",
                b'v' => b"uv",
                _ => std::slice::from_ref(&bytes[start]),
            };
            for &first in firsts {
                // A wildcard (the either-letter byte, or a `v` that may be a
                // term's `u`) in `left` rules out the binary search: compare
                // every term that starts with the first letter.
                let candidates = if left_has_wildcard {
                    self.starting_with(&[first])
                } else {
                    self.starting_with(left)
                };
                for candidate in candidates {
                    let term = &candidate.bytes;
                    if term.len() <= left.len() {
                        continue;
                    }
                    let prefix = &term[..left.len()];
                    let respelled = candidate.respelled;
                    if !(prefix == left || (left_has_wildcard && reads_as(left, prefix, respelled)))
                    {
                        continue;
                    }
                    // An ending needs the mark to reach the term's end.
                    let endings: &[&[u8]] = if hiding.endings
                        && !candidate.is_phrase()
                        && term.len() - left.len() <= hiding.max
                        && !terms[candidate.term as usize].position.anchored_end()
                    {
                        ENDINGS
                    } else {
                        &[]
                    };
                    // Without an ending, the letter after the mark must be
                    // one of the term's letters the mark may stop before:
                    // the test `match_hidden` makes first, made here once
                    // so that the many candidates sharing a short prefix
                    // (`f*ck` has every term starting with `f`) cost no
                    // call each.
                    let next = bytes[mark + 1];
                    let lo = left.len() + hiding.min;
                    let hi = (left.len() + hiding.max).min(term.len() - 1);
                    if endings.is_empty()
                        && !(lo..=hi).any(|at| reads_as_byte(next, term[at], respelled))
                    {
                        continue;
                    }
                    for ending in std::iter::once(&b""[..]).chain(endings.iter().copied()) {
                        let full = Spelled {
                            term: candidate,
                            ending,
                        };
                        word.match_hidden(start, &full, found);
                    }
                }
            }
        }
    }
}

/// Reports the censored readings in `found`, except block readings of a
/// stretch of text that an allowed word reads the same way (ambiguous).
/// The plainer reading wins: one that needs a usual ending ranks below one
/// that does not (`ni**ers` is read as the listed word, not as
/// "nigglers"), and one whose mark hides more letters below one whose mark
/// hides fewer (`b*tch` is `bitch`, not the allowed "blotch").
pub(super) fn report(
    terms: &[CompiledTerm],
    view: &View<'_>,
    found: &[CensoredReading],
    accept: &Accept<'_>,
    on_hit: &mut impl FnMut(TermHit),
) {
    for reading in found {
        let allow = terms[reading.term].allow;
        let shadowed = found.iter().any(|other| {
            other.range == reading.range
                && terms[other.term].allow != allow
                && if allow {
                    (reading.ending && !other.ending) || other.hidden < reading.hidden
                } else {
                    (!other.ending || reading.ending) && other.hidden <= reading.hidden
                }
        });
        if !shadowed {
            let target = Target::unchecked(reading.term as u32);
            check(
                terms,
                view,
                reading.range.clone(),
                std::slice::from_ref(&target),
                accept,
                on_hit,
            );
        }
    }
}

/// The search around one mark: the bytes of the view it stands in, and how
/// many letters it may hide.
struct MarkedWord<'v> {
    bytes: &'v [u8],
    runs: &'v [u8],
    /// The mark's byte.
    mark: usize,
    /// The start of the word holding the mark.
    word_start: usize,
    /// The end of the word holding the mark.
    word_end: usize,
    hiding: Hiding,
}

impl MarkedWord<'_> {
    /// Matches `full` (a term, perhaps with an ending), starting at byte
    /// `start`, around the mark, with every allowed number of hidden
    /// letters.
    fn match_hidden(&self, start: usize, full: &Spelled<'_>, found: &mut Vec<CensoredReading>) {
        let (bytes, runs, mark, hiding) = (self.bytes, self.runs, self.mark, self.hiding);
        let left_len = mark - start;
        let term = &full.term.bytes;
        let full_len = full.len();
        let doubled_before = full.run(left_len - 1) >= 2;
        let doubled_after = full.run(left_len) >= 2;
        let beside_vowel = is_vowel(full.byte(left_len - 1)) || is_vowel(full.byte(left_len));
        let phrase = full.term.is_phrase();
        let respelled = full.term.respelled;
        for hidden in hiding.min..=hiding.max {
            let right_start = left_len + hidden;
            // The last letter is always kept.
            if right_start >= full_len {
                break;
            }
            // Nearly every candidate fails on the first letter after the
            // mark, so that test comes before the others (they are all
            // pure; only their order changed). The mark is never its word's
            // last byte (`find`), so the letter exists.
            if !reads_as_byte(bytes[mark + 1], full.byte(right_start), respelled) {
                continue;
            }
            // An ending is only read when the mark hides the term's end.
            if !full.ending.is_empty() && right_start < term.len() {
                continue;
            }
            // With nothing hidden, the mark stands for one copy of a
            // doubled letter beside it (`as*hole`), or for nothing, put
            // between two consonants (`coc*k`, `pric*k`). Beside a vowel it
            // far more often hides one ("c*unty" is "county", not `cunt`
            // inside "cunty"), so there it stands for nothing only when the
            // term is the whole word (`sh*it`, `slu*t`, `bi*atch`).
            let right_len = full_len - right_start;
            let end = mark + 1 + right_len;
            let whole_word = !phrase && start == self.word_start && end == self.word_end;
            if hidden == 0 && !(doubled_before || doubled_after) && beside_vowel && !whole_word {
                continue;
            }
            if let Some(letters) = hiding.letters {
                if !(left_len..right_start).all(|i| letters.contains(&full.byte(i))) {
                    continue;
                }
            }
            // A mark hides letters of one word, never a break between two.
            if phrase && (left_len..right_start).any(|i| full.byte(i) == WORD_BREAK) {
                continue;
            }
            let bound = if phrase { bytes.len() } else { self.word_end };
            if end > bound
                || !(0..right_len).all(|i| {
                    reads_as_kept(bytes[mark + 1 + i], full.byte(right_start + i), respelled)
                })
            {
                continue;
            }
            // A later mark read as a vowel makes a guess of every word it
            // is in, so the reading must be whole words: inside a longer
            // word, "w*rr*nty" and "*bs*l*t*ly" would read as `whore` and
            // `slut`.
            let later_marks = bytes[mark + 1..end].contains(&CENSORED);
            if later_marks && (start != word_start(bytes, start) || end != word_end(bytes, end - 1))
            {
                continue;
            }
            let kept_needs = (0..left_len)
                .chain(right_start..full_len)
                .map(|i| full.run(i));
            let kept_has = runs[start..mark].iter().chain(&runs[mark + 1..end]);
            let runs_ok = kept_has
                .zip(kept_needs)
                .enumerate()
                .all(|(i, (has, need))| {
                    // The doubled letter beside the mark shows one copy.
                    let beside = hidden == 0
                        && ((doubled_before && i + 1 == left_len)
                            || (!doubled_before && i == left_len));
                    *has >= if beside { 1 } else { need }
                });
            if runs_ok {
                found.push(CensoredReading {
                    term: full.term.term as usize,
                    range: start..end,
                    ending: !full.ending.is_empty(),
                    hidden,
                });
            }
        }
    }
}

/// Whether normalised text bytes read as term bytes, where the byte for
/// `1`, `!` and `|` reads as `i` or `l`, and with `respelled` a `v` as a
/// term's `u` (one way only, as in [`super::spellings`]: a term's `v` is
/// never written `u`).
fn reads_as(text: &[u8], term: &[u8], respelled: bool) -> bool {
    text.len() == term.len()
        && text
            .iter()
            .zip(term)
            .all(|(&t, &u)| reads_as_byte(t, u, respelled))
}

/// [`reads_as_byte`] for the letters a mark keeps, where a later mark may
/// hide one vowel of the term (`bl*w j*b`, `m*therf*cker`): one mark is
/// read at a time, so the first mark of such a word or phrase finds the
/// others among the letters it keeps.
fn reads_as_kept(text: u8, term: u8, respelled: bool) -> bool {
    reads_as_byte(text, term, respelled) || (text == CENSORED && is_vowel(term))
}

fn reads_as_byte(text: u8, term: u8, respelled: bool) -> bool {
    let either = |a: u8, b: u8| a == EITHER_I_OR_L && matches!(b, b'i' | b'l');
    text == term
        || either(text, term)
        || either(term, text)
        || (respelled && text == b'v' && term == b'u')
}

/// Whether the word holding the mark at byte `mark` shows no vowel and has
/// several marks (`m*th*rf*ck*r`, `s*t*p`): every mark then hides one
/// vowel, which the vowel-frame reading ([`super::frames`]) reads. Read
/// here, one mark at a time hiding any letters, `s*t*p` ("step") would be
/// `shit*`.
fn is_vowel_frame(bytes: &[u8], mark: usize) -> bool {
    let word = &bytes[word_start(bytes, mark)..word_end(bytes, mark)];
    word.iter().filter(|&&b| b == CENSORED).count() >= 2
        && !word.iter().any(|&b| is_vowel(b) || b == EITHER_I_OR_L)
}

/// How many letters a mark may hide, and which.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hiding {
    /// Fewest hidden letters; 0 lets the mark be one copy of a doubled
    /// letter beside it (`as*hole`) or stand between two letters and hide
    /// none (`slu*t`).
    pub(super) min: usize,
    /// Most hidden letters.
    pub(super) max: usize,
    /// Whether the mark may hide a term's end before a usual ending.
    pub(super) endings: bool,
    /// The only letters it may hide, if restricted.
    pub(super) letters: Option<&'static [u8]>,
}

/// A reading of a self-censored stretch of text as a term.
#[derive(Debug, Clone)]
pub(super) struct CensoredReading {
    term: usize,
    /// The normalised bytes read.
    range: Range<usize>,
    /// Whether the reading adds a usual ending to the term (`f***ing`).
    ending: bool,
    /// How many letters the mark hides in this reading.
    hidden: usize,
}

/// A censorable term followed by an ending (perhaps none), read byte by
/// byte without building it.
struct Spelled<'a> {
    term: &'a Censorable,
    ending: &'a [u8],
}

impl Spelled<'_> {
    fn len(&self) -> usize {
        self.term.bytes.len() + self.ending.len()
    }

    fn byte(&self, i: usize) -> u8 {
        let n = self.term.bytes.len();
        if i < n {
            self.term.bytes[i]
        } else {
            self.ending[i - n]
        }
    }

    fn run(&self, i: usize) -> u8 {
        self.term.run(i)
    }
}
