//! The built-in lists and rules, parsed and compiled once per process.
//!
//! Every filter with the default lists starts from the same three texts, and
//! a sandbox builds more than one filter: one per profile of a configuration
//! document, and a new set each time AppConfig deploys a new version. Parsing
//! the lists was a fifth of a build (6.1 M of 37 M instructions, callgrind)
//! and compiling the built-in rules' set another 2.8 M, the same work each
//! time; so the first build does it and keeps the result here, and every
//! later build borrows the lists and clones the compiled set (a reference
//! count). The terms of the lists are normalised once too (another 5.1 M).
//! The first build costs what it did, so cold start-up is unchanged.
//!
//! Invariant: what is kept is exactly what a build would compute from
//! [`DEFAULT_BLOCK_LIST`], [`DEFAULT_ALLOW_LIST`] and
//! [`RegexRule::DEFAULT_LIST`], which are compiled into the binary and cannot
//! change while it runs. An error (which the tests rule out for the shipped
//! lists) is kept too, and every build reports it.

use std::sync::OnceLock;

use crate::error::BuildError;
use crate::filter::{DEFAULT_ALLOW_LIST, DEFAULT_BLOCK_LIST};
use crate::list::WordList;
use crate::matcher::NormalizedTerm;
use crate::normalize::Normalized;
use crate::rules::{RegexRule, RuleSet};

/// The parsed default lists, each entry with its term normalised (`None`
/// for a term with nothing to match, which the build then reports).
#[derive(Debug)]
pub(crate) struct DefaultLists {
    pub(crate) block: WordList,
    pub(crate) allow: WordList,
    pub(crate) block_terms: Vec<Option<NormalizedTerm>>,
    pub(crate) allow_terms: Vec<Option<NormalizedTerm>>,
}

/// The built-in regex rules, with their set compiled.
#[derive(Debug)]
pub(crate) struct DefaultRules {
    pub(crate) rules: Vec<RegexRule>,
    /// The set of [`rules`](Self::rules) alone, for filters that add none.
    pub(crate) set: RuleSet,
}

/// The default block and allow lists, parsed on first use.
pub(crate) fn default_lists() -> Result<&'static DefaultLists, BuildError> {
    static LISTS: OnceLock<Result<DefaultLists, BuildError>> = OnceLock::new();
    LISTS
        .get_or_init(|| {
            let block = WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST)?;
            let allow = WordList::parse("default-allow.txt", DEFAULT_ALLOW_LIST)?;
            allow.check_allow_list()?;
            let mut scratch = Normalized::default();
            let mut normalized = |list: &WordList| -> Vec<Option<NormalizedTerm>> {
                list.entries()
                    .iter()
                    .map(|entry| NormalizedTerm::of(&mut scratch, entry))
                    .collect()
            };
            let block_terms = normalized(&block);
            let allow_terms = normalized(&allow);
            Ok(DefaultLists {
                block,
                allow,
                block_terms,
                allow_terms,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The built-in regex rules and their compiled set, on first use.
pub(crate) fn default_rules() -> Result<&'static DefaultRules, BuildError> {
    static RULES: OnceLock<Result<DefaultRules, BuildError>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let rules = RegexRule::builtin()?;
            let set = RuleSet::new(&rules)?;
            Ok(DefaultRules { rules, set })
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_lists_and_rules_are_what_a_fresh_parse_gives() {
        let lists = default_lists().unwrap();
        assert_eq!(
            lists.block,
            WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST).unwrap()
        );
        assert_eq!(
            lists.allow,
            WordList::parse("default-allow.txt", DEFAULT_ALLOW_LIST).unwrap()
        );
        let rules = default_rules().unwrap();
        let fresh = RegexRule::builtin().unwrap();
        assert_eq!(rules.rules.len(), fresh.len());
        for (kept, fresh) in rules.rules.iter().zip(&fresh) {
            assert_eq!(kept.name(), fresh.name());
            assert_eq!(kept.action(), fresh.action());
        }
        let mut scratch = Normalized::default();
        for (list, terms) in [
            (&lists.block, &lists.block_terms),
            (&lists.allow, &lists.allow_terms),
        ] {
            assert_eq!(list.entries().len(), terms.len());
            for (entry, term) in list.entries().iter().zip(terms) {
                assert_eq!(
                    term,
                    &NormalizedTerm::of(&mut scratch, entry),
                    "{}",
                    entry.term
                );
            }
        }
        // The same object each time: parsed once.
        assert!(std::ptr::eq(lists, default_lists().unwrap()));
    }
}
