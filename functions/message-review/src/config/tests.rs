use std::collections::HashMap;
use std::io::Write;

use chat_filter::{Action, Policy, Severity};

use super::*;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

fn error(vars: &[(&str, &str)]) -> String {
    match config(vars).and_then(|c| c.build_filter().map(|_| c)) {
        Ok(_) => panic!("expected a configuration error for {vars:?}"),
        Err(e) => e.to_string(),
    }
}

/// A temporary file that removes itself.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "message-review-config-{}-{name}",
            std::process::id()
        ));
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(text.as_bytes()).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn nothing_set_gives_the_defaults() {
    let config = config(&[]).unwrap();
    assert!(config.filter.uses_default_lists());
    assert!(!config.log_content);
    assert_eq!(config.filter.configured_policy(), Policy::default());
    assert_eq!(
        config.filter.configured_default_severity(),
        Severity::Severe
    );
    assert_eq!(config.deny_reason, DEFAULT_DENY_REASON);
    assert_eq!(config.filter.configured_mask(), '*');
    assert!(config.filter.block_lists().is_empty() && config.filter.allow_lists().is_empty());
    assert!(config.filter.rules().is_empty());
    config.build_filter().unwrap();
}

#[test]
fn every_setting_is_read() {
    let block = TempFile::new("every-block.txt", "frack* | moderate | scifi\n");
    let allow = TempFile::new("every-allow.txt", "frackle\n");
    let rules = TempFile::new("every-rules.txt", "phone | mask | \\d{3}-\\d{4}\n");
    let config = config(&[
        (WORD_LISTS, block.path()),
        (BLOCK_TERMS, "gorram; smeg | mild"),
        (ALLOW_LISTS, allow.path()),
        (ALLOW_TERMS, "gorramit"),
        (DEFAULT_LISTS, "no"),
        (REGEX_RULES, "links | deny | https?://\\S+;x"),
        (REGEX_RULES_FILE, rules.path()),
        (POLICY, "mild=mask"),
        (DEFAULT_SEVERITY, "moderate"),
        (DENY_REASON, "  Not in this room  "),
        (MASK_CHAR, "#"),
        (LOG_CONTENT, "on"),
    ])
    .unwrap();
    assert!(!config.filter.uses_default_lists());
    assert!(config.log_content);
    assert_eq!(
        config.filter.configured_policy().action(Severity::Mild),
        Action::Mask
    );
    assert_eq!(
        config.filter.configured_default_severity(),
        Severity::Moderate
    );
    assert_eq!(config.deny_reason, "Not in this room");
    assert_eq!(config.filter.configured_mask(), '#');
    assert_eq!(config.filter.block_lists().len(), 2);
    assert_eq!(config.filter.block_lists()[1].source(), BLOCK_TERMS);
    assert_eq!(config.filter.block_lists()[1].entries().len(), 2);
    assert_eq!(config.filter.allow_lists().len(), 2);
    let names: Vec<_> = config.filter.rules().iter().map(|r| r.name()).collect();
    assert_eq!(names, ["links", "phone"]);

    let filter = config.build_filter().unwrap();
    let verdict = filter.review("gorram it, frack, smeg, but frackle is fine");
    assert_eq!(verdict.action, Action::Mask);
    assert_eq!(
        verdict.masked.as_deref(),
        Some("###### it, #####, ####, but frackle is fine")
    );
    // The pattern kept its ';': the rule is one line, not split.
    assert_eq!(
        filter.review("see https://a.example;x").action,
        Action::Deny
    );
    assert_eq!(
        filter.review("call 555-1234").masked.as_deref(),
        Some("call ########")
    );
    // Built-in lists are off.
    assert_eq!(filter.review("cunt").action, Action::Allow);
}

#[test]
fn booleans_accept_the_usual_spellings_and_name_the_variable() {
    for (text, expected) in [
        ("true", true),
        ("TRUE", true),
        ("1", true),
        ("yes", true),
        ("on", true),
        ("false", false),
        ("0", false),
        ("No", false),
        ("off", false),
    ] {
        assert_eq!(
            config(&[(DEFAULT_LISTS, text)])
                .unwrap()
                .filter
                .uses_default_lists(),
            expected
        );
        assert_eq!(
            config(&[(LOG_CONTENT, text)]).unwrap().log_content,
            expected
        );
    }
    assert_eq!(
        error(&[(DEFAULT_LISTS, "sometimes")]),
        "REVIEW_DEFAULT_LISTS: 'sometimes' is not a boolean: expected true/false, 1/0, yes/no or on/off"
    );
}

#[test]
fn a_blank_variable_is_unset() {
    // What the template and `sam local` pass for a parameter left empty.
    let blank = config(&[
        (LOG_CONTENT, ""),
        (DEFAULT_LISTS, " "),
        (MASK_CHAR, " "),
        (POLICY, ""),
        (DEFAULT_SEVERITY, "\t"),
        (DENY_REASON, ""),
    ])
    .unwrap();
    let unset = config(&[]).unwrap();
    assert!(!blank.log_content);
    assert_eq!(blank.deny_reason, unset.deny_reason);
    assert_eq!(format!("{:?}", blank.filter), format!("{:?}", unset.filter));
}

#[test]
fn default_rules_follow_the_lists_unless_set() {
    let art = "nice 8====D";
    let review = |vars: &[(&str, &str)]| {
        config(vars)
            .unwrap()
            .build_filter()
            .unwrap()
            .review(art)
            .action
    };
    assert_eq!(review(&[]), Action::Mask);
    assert_eq!(review(&[(DEFAULT_RULES, "off")]), Action::Allow);
    assert_eq!(review(&[(DEFAULT_LISTS, "false")]), Action::Allow);
    assert_eq!(
        review(&[(DEFAULT_LISTS, "false"), (DEFAULT_RULES, "true")]),
        Action::Mask
    );
    let lists_only = config(&[(DEFAULT_RULES, "0")])
        .unwrap()
        .build_filter()
        .unwrap();
    assert_eq!(lists_only.review("fuck").action, Action::Mask);
    assert_eq!(
        error(&[(DEFAULT_RULES, "maybe")]),
        "REVIEW_DEFAULT_RULES: 'maybe' is not a boolean: expected true/false, 1/0, yes/no or on/off"
    );
}

#[test]
fn policy_sets_the_disguised_mild_action() {
    let config = config(&[(POLICY, "mild=allow, disguised-mild=allow")]).unwrap();
    assert_eq!(
        config.filter.configured_policy().disguised_mild(),
        Action::Allow
    );
    let filter = config.build_filter().unwrap();
    assert_eq!(filter.review("what the һell").action, Action::Allow);
    let default = Config::default().build_filter().unwrap();
    assert_eq!(default.review("what the һell").action, Action::Mask);
    assert_eq!(
        error(&[(POLICY, "sneaky=deny")]),
        "REVIEW_POLICY: unknown severity 'sneaky': expected mild, moderate or severe (or disguised-mild)"
    );
}

#[test]
fn policy_and_severity_errors_name_the_variable() {
    assert_eq!(
        error(&[(POLICY, "severe=ban")]),
        "REVIEW_POLICY: unknown action 'ban': expected allow, mask or deny"
    );
    assert_eq!(
        error(&[(DEFAULT_SEVERITY, "awful")]),
        "REVIEW_DEFAULT_SEVERITY: unknown severity 'awful': expected mild, moderate or severe"
    );
}

#[test]
fn deny_reason_must_fit_and_blank_is_the_default() {
    assert_eq!(
        config(&[(DENY_REASON, "  ")]).unwrap().deny_reason,
        DEFAULT_DENY_REASON
    );
    let long = "x".repeat(MAX_DENY_REASON_BYTES + 1);
    assert_eq!(
        error(&[(DENY_REASON, &long)]),
        "REVIEW_DENY_REASON: the reason is 1019 bytes long; the response attributes leave room for 1018"
    );
    let longest = "x".repeat(MAX_DENY_REASON_BYTES);
    assert_eq!(
        config(&[(DENY_REASON, &longest)]).unwrap().deny_reason,
        longest
    );
}

#[test]
fn mask_char_is_exactly_one_visible_character() {
    assert_eq!(
        config(&[(MASK_CHAR, "•")])
            .unwrap()
            .filter
            .configured_mask(),
        '•'
    );
    assert_eq!(
        error(&[(MASK_CHAR, "**")]),
        "REVIEW_MASK_CHAR: '**' is 2 characters; exactly one is expected (such as '*')"
    );
    assert!(error(&[(MASK_CHAR, "\u{7}")]).starts_with("REVIEW_MASK_CHAR: '\\u{7}' would hide"));
}

#[test]
fn inline_list_errors_name_the_variable_and_entry() {
    assert_eq!(
        error(&[(BLOCK_TERMS, "ok\nfine; bad | loud")]),
        "REVIEW_BLOCK_TERMS:3: unknown severity 'loud': expected mild, moderate or severe"
    );
    assert_eq!(
        error(&[(ALLOW_TERMS, "scunthorpe; essex | mild")]),
        "REVIEW_ALLOW_TERMS:2: allow-list entry 'essex' takes no severity or category"
    );
    // Found only when the filter is built.
    assert_eq!(
        error(&[(BLOCK_TERMS, "fine; !!!")]),
        "REVIEW_BLOCK_TERMS:2: term '!!!' holds no letters or digits once normalised, so it could never match"
    );
}

#[test]
fn file_list_errors_name_the_variable_file_and_line() {
    let block = TempFile::new("bad-block.txt", "# header\nfine\nfr*ck\n");
    assert_eq!(
        error(&[(WORD_LISTS, block.path())]),
        format!(
            "REVIEW_WORD_LISTS: {}:3: '*' may only stand at the start or end of a term: 'fr*ck'",
            block.path()
        )
    );
    let allow = TempFile::new("bad-allow.txt", "fine\nessex | | place\n");
    assert_eq!(
        error(&[(ALLOW_LISTS, &format!(" {} , ", allow.path()))]),
        format!(
            "REVIEW_ALLOW_LISTS: {}:2: allow-list entry 'essex' takes no severity or category",
            allow.path()
        )
    );
    let empty_term = TempFile::new("empty-term.txt", "fine\n\n?!\n");
    assert_eq!(
        error(&[(WORD_LISTS, empty_term.path())]),
        format!(
            "REVIEW_WORD_LISTS: {}:3: term '?!' holds no letters or digits once normalised, so it could never match",
            empty_term.path()
        )
    );
}

#[test]
fn unreadable_files_name_the_variable_the_path_and_the_os_error() {
    for variable in [WORD_LISTS, ALLOW_LISTS, REGEX_RULES_FILE] {
        let message = error(&[(variable, "no/such/list.txt")]);
        assert!(
            message.starts_with(&format!("{variable}: cannot read 'no/such/list.txt': ")),
            "{message}"
        );
        assert!(message.contains("No such file"), "{message}");
    }
    let good = TempFile::new("good.txt", "frack\n");
    let message = error(&[(WORD_LISTS, &format!("{},missing.txt", good.path()))]);
    assert!(
        message.starts_with("REVIEW_WORD_LISTS: cannot read 'missing.txt'"),
        "{message}"
    );
}

#[test]
fn rule_errors_name_the_variable_file_and_line() {
    assert_eq!(
        error(&[(REGEX_RULES, "a | mask | x\nb | ban | y")]),
        "REVIEW_REGEX_RULES:2: unknown action 'ban': expected allow, mask or deny"
    );
    let message = error(&[(REGEX_RULES, "# c\na | mask | x\nbroken | deny | (")]);
    assert!(
        message.starts_with("REVIEW_REGEX_RULES:3: regex rule 'broken': "),
        "{message}"
    );
    let file = TempFile::new("rules.txt", "a | mask | x\na | deny | y\n");
    assert_eq!(
        error(&[(REGEX_RULES_FILE, file.path())]),
        format!(
            "REVIEW_REGEX_RULES_FILE: {}:2: rule name 'a' is used twice",
            file.path()
        )
    );
    let file = TempFile::new("rules-dup.txt", "a | deny | y\n");
    assert_eq!(
        error(&[(REGEX_RULES, "a | mask | x"), (REGEX_RULES_FILE, file.path())]),
        "REVIEW_REGEX_RULES_FILE: rule name 'a' is also used in REVIEW_REGEX_RULES; names must be unique"
    );
}

#[test]
fn empty_list_variables_mean_no_list() {
    let config = config(&[
        (WORD_LISTS, ""),
        (ALLOW_LISTS, " , "),
        (REGEX_RULES_FILE, ""),
    ])
    .unwrap();
    assert!(config.filter.block_lists().is_empty());
    assert!(config.filter.allow_lists().is_empty());
    assert!(config.filter.rules().is_empty());
}
