//! `chatmod lint`: every problem in a word list, allow-list or rule file.
//!
//! The filter builder stops at the first bad line, which is right for a
//! function starting up but slow going for someone fixing a list. Lint reads
//! every line, so one run reports them all: `WordList::parse_all` checks
//! each entry's syntax and whether its term normalises to anything, and
//! `RegexRule::parse_each` parses and compiles each rule, every error with
//! its list and line; no automaton is built.

use std::collections::HashMap;
use std::fmt;

use chat_filter::{BuildError, ListError, RegexRule, WordList};

use crate::input::{self, Output};
use crate::{CliError, LintArgs, ListKind, Outcome};

/// One problem in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file.
    pub list: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.list, self.message),
            None => write!(f, "{}: {}", self.list, self.message),
        }
    }
}

impl From<ListError> for Finding {
    fn from(error: ListError) -> Finding {
        Finding::from(BuildError::List(error))
    }
}

impl From<BuildError> for Finding {
    fn from(error: BuildError) -> Finding {
        Finding {
            list: error
                .place()
                .map_or_else(String::new, |(list, _)| list.to_string()),
            line: error.place().map(|(_, line)| line),
            message: error.message(),
        }
    }
}

/// Runs `chatmod lint`: problems to stderr, one summary line per file to
/// stdout.
pub fn run(args: &LintArgs) -> Result<Outcome, CliError> {
    let kind = args.kind();
    let mut stdout = Output::new(std::io::stdout().lock());
    let mut stderr = Output::new(std::io::stderr().lock());
    if let Some(path) = &args.config {
        return lint_document(path, &mut stdout, &mut stderr);
    }
    let mut outcome = Outcome::Clean;
    for path in &args.files {
        let (name, text) = input::read(path)?;
        let (entries, findings) = lint(&name, &text, kind);
        for finding in &findings {
            stderr.line(&finding.to_string())?;
        }
        let what = match (kind == ListKind::Rules, entries == 1) {
            (true, true) => "rule",
            (true, false) => "rules",
            (false, true) => "entry",
            (false, false) => "entries",
        };
        let summary = if findings.is_empty() {
            format!("{name}: {entries} {what}, ok")
        } else {
            outcome = Outcome::Problems;
            let plural = if findings.len() == 1 { "" } else { "s" };
            format!("{name}: {} problem{plural}", findings.len())
        };
        stdout.line(&summary)?;
    }
    Ok(outcome)
}

/// Checks a configuration document the way the function loads it: every
/// profile read and built, every problem reported with its field path.
fn lint_document(
    path: &std::path::Path,
    stdout: &mut Output<impl std::io::Write>,
    stderr: &mut Output<impl std::io::Write>,
) -> Result<Outcome, CliError> {
    let (name, text) = input::read(path)?;
    match message_review::document::load(&name, &text) {
        Ok(profiles) => {
            let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            let plural = if names.len() == 1 { "" } else { "s" };
            stdout.line(&format!(
                "{name}: {} profile{plural} ({}), ok",
                names.len(),
                names.join(", ")
            ))?;
            Ok(Outcome::Clean)
        }
        Err(error) => {
            for problem in &error.errors {
                stderr.line(&format!("{name}: {problem}"))?;
            }
            let plural = if error.errors.len() == 1 { "" } else { "s" };
            stdout.line(&format!("{name}: {} problem{plural}", error.errors.len()))?;
            Ok(Outcome::Problems)
        }
    }
}

/// Checks one file, returning how many good entries (or rules) it holds and
/// every problem found, in line order.
pub fn lint(name: &str, text: &str, kind: ListKind) -> (usize, Vec<Finding>) {
    let (count, mut findings) = match kind {
        ListKind::Rules => lint_rules(name, text),
        ListKind::Block | ListKind::Allow => lint_words(name, text, kind == ListKind::Allow),
    };
    findings.sort_by_key(|f| f.line);
    (count, findings)
}

fn lint_words(name: &str, text: &str, allow: bool) -> (usize, Vec<Finding>) {
    let (list, problems) = WordList::parse_all(name, text);
    let mut findings: Vec<Finding> = problems.into_iter().map(Finding::from).collect();
    let mut count = list.entries().len();
    if allow {
        let before = findings.len();
        findings.extend(list.allow_list_errors().map(Finding::from));
        count -= findings.len() - before;
    }
    (count, findings)
}

fn lint_rules(name: &str, text: &str) -> (usize, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    RegexRule::parse_each(name, text, |line, rule| match rule {
        Ok(rule) => {
            if let Some(first) = first_line_of.get(rule.name()) {
                findings.push(Finding {
                    list: name.to_string(),
                    line: Some(line),
                    message: format!(
                        "rule name '{}' is used twice (first on line {first})",
                        rule.name()
                    ),
                });
            } else {
                first_line_of.insert(rule.name().to_string(), line);
            }
        }
        Err(error) => findings.push(Finding::from(error)),
    });
    (first_line_of.len(), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(Finding::to_string).collect()
    }

    #[test]
    fn every_bad_word_list_line_is_reported_with_its_number() {
        let text = "# list\nfine\nbad | loud\nfr*ck\n!!!\nalso-fine* | moderate\n?!\n";
        let (count, findings) = lint("l.txt", text, ListKind::Block);
        assert_eq!(
            messages(&findings),
            [
                "l.txt:3: unknown severity 'loud': expected mild, moderate or severe",
                "l.txt:4: '*' may only stand at the start or end of a term: 'fr*ck'",
                "l.txt:5: term '!!!' holds no letters or digits once normalised, so it could never match",
                "l.txt:7: term '?!' holds no letters or digits once normalised, so it could never match",
            ]
        );
        assert_eq!(count, 2);
    }

    #[test]
    fn a_good_list_has_no_findings() {
        let (count, findings) = lint("l.txt", "a\nb* | mild | x\n", ListKind::Block);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(count, 2);
    }

    #[test]
    fn allow_lists_may_not_carry_severities() {
        let (count, findings) = lint("a.txt", "scunthorpe\nessex | mild\n", ListKind::Allow);
        assert_eq!(
            messages(&findings),
            ["a.txt:2: allow-list entry 'essex' takes no severity or category"]
        );
        assert_eq!(count, 1);
        // The same line is fine in a block list.
        assert!(lint("a.txt", "essex | mild\n", ListKind::Block)
            .1
            .is_empty());
    }

    #[test]
    fn every_bad_rule_is_reported_with_its_number() {
        let text = "# rules\nlinks | mask | https?://\\S+\nno-pattern | mask\nlinks | deny | x\nbroken | deny | (\nodd | ban | y\n";
        let (count, findings) = lint("r.txt", text, ListKind::Rules);
        let messages = messages(&findings);
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert_eq!(messages[0], "r.txt:3: a rule is 'name | action | pattern'");
        assert_eq!(
            messages[1],
            "r.txt:4: rule name 'links' is used twice (first on line 2)"
        );
        assert!(
            messages[2].starts_with("r.txt:5: regex rule 'broken': "),
            "{}",
            messages[2]
        );
        assert_eq!(
            messages[3],
            "r.txt:6: unknown action 'ban': expected allow, mask or deny"
        );
        assert_eq!(count, 1);
    }
}
