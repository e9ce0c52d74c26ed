//! Review profiles: one built filter and its settings per kind of room, and
//! the choice of profile for each message's room.
//!
//! One handler serves many rooms; a kids' room and an adult room want
//! different policies. A [`Profiles`] holds every profile already built (a
//! filter is too expensive to build per message) and picks one by the
//! message's room ARN:
//!
//! 1. a profile naming the room exactly, by ARN or by id, wins;
//! 2. otherwise the wildcard selector (`*` matches any run of characters)
//!    with the most literal characters wins, so `arn:*:room/kids-*` beats
//!    `*`; ties go to the profile whose name sorts first;
//! 3. otherwise the default profile.
//!
//! Two profiles naming the same selector are refused when the document is
//! loaded ([`Profiles::new`]), so the choice never depends on order. The
//! choice costs one pass over the selectors (a handful of short string
//! comparisons), far below the review itself.

use chat_filter::Filter;
use ivs_chat::ReviewEvent;

use crate::config::Config;
use crate::Reviewed;

/// The name of the profile used for rooms no other profile selects.
pub const DEFAULT_PROFILE: &str = "default";

/// One profile, built.
#[derive(Debug)]
pub struct Profile {
    /// Its name in the configuration document (`default` for the default).
    pub name: String,
    /// Its settings, the sender rules ([`crate::senders`]) included.
    pub config: Config,
    /// Its filter, built from `config`.
    pub filter: Filter,
}

impl Profile {
    /// Builds the filter for `config`.
    pub fn build(name: impl Into<String>, config: Config) -> Result<Profile, crate::ConfigError> {
        let filter = config.build_filter()?;
        Ok(Profile {
            name: name.into(),
            config,
            filter,
        })
    }

    /// Reviews one message with this profile, exactly as
    /// [`crate::review_verdict`] does for the variables' configuration: the
    /// sender-aware [`crate::judge`] (exempt senders pass, strict ones get
    /// the strict policy) and the decision record of a DENY or mask.
    pub fn review<'f>(&'f self, event: &ReviewEvent) -> Reviewed<'f> {
        crate::review_verdict(&self.filter, &self.config, event)
    }
}

/// A room selector: a room ARN or id, exactly or with `*` wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    text: String,
}

impl Selector {
    /// A selector; `*` matches any run of characters (none included).
    pub fn new(text: impl Into<String>) -> Selector {
        Selector { text: text.into() }
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn is_exact(&self) -> bool {
        !self.text.contains('*')
    }

    /// How specific a wildcard is: its literal characters.
    fn literal_len(&self) -> usize {
        self.text.len() - self.text.matches('*').count()
    }

    /// Whether the selector matches the room's ARN or its id.
    pub fn matches(&self, room_arn: &str) -> bool {
        let id = crate::metrics::room_id(room_arn);
        glob(&self.text, room_arn) || glob(&self.text, id)
    }
}

/// `*`-only glob matching, without allocation.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Every profile, built, and the rule that picks one per room.
#[derive(Debug)]
pub struct Profiles {
    default: Profile,
    /// `(selector, index into profiles)`, exact selectors first.
    selectors: Vec<(Selector, usize)>,
    profiles: Vec<Profile>,
}

/// Two profiles claim the same room selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateSelector {
    /// The selector.
    pub selector: String,
    /// The profile that named it first (by name order).
    pub first: String,
    /// The other profile.
    pub second: String,
}

impl Profiles {
    /// Just a default profile: the configuration from the environment.
    pub fn single(default: Profile) -> Profiles {
        Profiles {
            default,
            selectors: Vec::new(),
            profiles: Vec::new(),
        }
    }

    /// A default profile and named profiles with their selectors.
    pub fn new(
        default: Profile,
        mut named: Vec<(Profile, Vec<Selector>)>,
    ) -> Result<Profiles, DuplicateSelector> {
        named.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let mut selectors: Vec<(Selector, usize)> = Vec::new();
        let mut profiles = Vec::with_capacity(named.len());
        for (index, (profile, own)) in named.into_iter().enumerate() {
            for selector in own {
                if let Some((_, other)) = selectors.iter().find(|(s, _)| *s == selector) {
                    return Err(DuplicateSelector {
                        selector: selector.text,
                        first: profiles_name(&profiles, *other),
                        second: profile.name.clone(),
                    });
                }
                selectors.push((selector, index));
            }
            profiles.push(profile);
        }
        // Exact selectors first, then wildcards from the most specific;
        // the sort is stable, so ties keep name order.
        selectors.sort_by_key(|(s, _)| (!s.is_exact(), std::cmp::Reverse(s.literal_len())));
        Ok(Profiles {
            default,
            selectors,
            profiles,
        })
    }

    /// The profile for a room.
    pub fn select(&self, room_arn: &str) -> &Profile {
        self.selectors
            .iter()
            .find(|(selector, _)| selector.matches(room_arn))
            .map_or(&self.default, |(_, index)| &self.profiles[*index])
    }

    /// The default profile.
    pub fn default_profile(&self) -> &Profile {
        &self.default
    }

    /// Every profile, the default first.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        std::iter::once(&self.default).chain(&self.profiles)
    }
}

fn profiles_name(profiles: &[Profile], index: usize) -> String {
    profiles
        .get(index)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIDS: &str = "arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001";
    const ADULT: &str = "arn:aws:ivschat:us-west-2:123456789012:room/adultRoom001";

    fn profile(name: &str) -> Profile {
        Profile::build(name, Config::default()).unwrap()
    }

    #[test]
    fn globs_match_whole_strings() {
        assert!(glob("*", ""));
        assert!(glob("a*c", "abbbc"));
        assert!(glob("a*b*c", "a-b-c"));
        assert!(!glob("a*b*c", "a-c"));
        assert!(!glob("abc", "abcd"));
        assert!(glob("*room/kids*", KIDS));
        assert!(!glob("ab*ba", "aba"));
    }

    #[test]
    fn exact_beats_wildcard_and_specific_beats_general() {
        let profiles = Profiles::new(
            profile(DEFAULT_PROFILE),
            vec![
                (profile("all"), vec![Selector::new("*")]),
                (profile("kids"), vec![Selector::new("kids*")]),
                (profile("vip"), vec![Selector::new(ADULT)]),
                (profile("adult"), vec![Selector::new("adult*")]),
            ],
        )
        .unwrap();
        assert_eq!(profiles.select(KIDS).name, "kids");
        assert_eq!(profiles.select(ADULT).name, "vip");
        assert_eq!(
            profiles.select("arn:aws:ivschat:x:1:room/other").name,
            "all"
        );
        let only_default = Profiles::single(profile(DEFAULT_PROFILE));
        assert_eq!(only_default.select(KIDS).name, DEFAULT_PROFILE);
        assert_eq!(only_default.iter().count(), 1);
    }

    #[test]
    fn a_selector_claimed_twice_is_refused() {
        let error = Profiles::new(
            profile(DEFAULT_PROFILE),
            vec![
                (profile("b"), vec![Selector::new("kids*")]),
                (profile("a"), vec![Selector::new("kids*")]),
            ],
        )
        .unwrap_err();
        assert_eq!(
            error,
            DuplicateSelector {
                selector: "kids*".into(),
                first: "a".into(),
                second: "b".into()
            }
        );
    }
}
