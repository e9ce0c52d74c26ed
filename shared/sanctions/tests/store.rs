//! The store against a real DynamoDB-API server (moto, started by the CI
//! script, which exports `E2E_DYNAMODB_URL`): conditional writes, the
//! strongest-sanction rule for `ACTIVE`, progress flags, and the
//! transactional lift. Skips without a server unless `E2E_REQUIRED=1`.
#![cfg(feature = "dynamodb")]

use std::time::Duration;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use sanctions::store::{Progress, SanctionStore};
use sanctions::{Sanction, SanctionKind, UserKey};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const KEEP: Duration = Duration::from_secs(86_400);

async fn store(name: &str) -> Option<SanctionStore> {
    let Ok(url) = std::env::var("E2E_DYNAMODB_URL") else {
        let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
        assert!(!required, "E2E_REQUIRED=1 but E2E_DYNAMODB_URL is not set");
        eprintln!("skipping: E2E_DYNAMODB_URL is not set");
        return None;
    };
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let table = format!("store-{name}-{}", std::process::id());
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    let attr = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap()
    };
    client
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .attribute_definitions(attr("pk"))
        .attribute_definitions(attr("sk"))
        .send()
        .await
        .unwrap();
    Some(SanctionStore::from_client(client, table))
}

fn sanction(user: &UserKey, id: &str, kind: SanctionKind, at: i64, until: Option<i64>) -> Sanction {
    Sanction {
        user: user.clone(),
        id: id.into(),
        kind,
        issued_at_ms: at,
        until_ms: until,
        reason: format!("{} {id}", kind.as_str()),
        source: "test".into(),
        disconnected: false,
        announced: false,
    }
}

#[tokio::test]
async fn strikes_count_once_and_the_strongest_sanction_is_active_until_lifted() {
    let Some(store) = store("one").await else {
        return;
    };
    let user = UserKey::new(ROOM, "user|with|pipes");
    assert!(store
        .add_strike(&user, "AbCdEf000001", 1_000, 1, KEEP)
        .await
        .unwrap());
    assert!(!store
        .add_strike(&user, "AbCdEf000001", 1_000, 1, KEEP)
        .await
        .unwrap());
    assert!(store
        .add_strike(&user, "AbCdEf000002", 2_000, 2, KEEP)
        .await
        .unwrap());
    let history = store.history(&user).await.unwrap();
    assert_eq!(history.strikes.iter().map(|s| s.weight).sum::<u32>(), 3);
    assert_eq!(store.active(&user).await.unwrap(), None);

    // A timeout, then a ban: the ban is in force.
    let timeout = sanction(&user, "t1", SanctionKind::Timeout, 3_000, Some(603_000));
    let stored = store.issue(&timeout, KEEP).await.unwrap();
    assert!(!stored.disconnected);
    assert_eq!(store.active(&user).await.unwrap().unwrap().id, "t1");
    let ban = sanction(&user, "b1", SanctionKind::Ban, 4_000, None);
    store.issue(&ban, KEEP).await.unwrap();
    assert_eq!(store.active(&user).await.unwrap().unwrap().id, "b1");
    // A later, longer timeout does not replace a permanent ban.
    let later = sanction(&user, "t2", SanctionKind::Timeout, 5_000, Some(9_000_000));
    store.issue(&later, KEEP).await.unwrap();
    let active = store.active(&user).await.unwrap().unwrap();
    assert_eq!((active.id.as_str(), active.kind), ("b1", SanctionKind::Ban));
    assert!(active.in_force(i64::MAX / 2));

    // Issuing the same sanction again answers the stored one, with its flags.
    store
        .mark(&user, "t1", Progress::Disconnected)
        .await
        .unwrap();
    let again = store.issue(&timeout, KEEP).await.unwrap();
    assert!(again.disconnected && !again.announced);
    assert_eq!(store.history(&user).await.unwrap().sanctions.len(), 3);

    // Lifting removes everything, in transactions.
    assert_eq!(store.lift(&user).await.unwrap(), 2 + 3 + 1);
    assert_eq!(store.active(&user).await.unwrap(), None);
    assert_eq!(store.history(&user).await.unwrap(), Default::default());
    // Another user's items were never touched.
    let other = UserKey::new(ROOM, "user");
    assert_eq!(store.history(&other).await.unwrap(), Default::default());
}

#[tokio::test]
async fn an_ended_sanction_gives_way_and_a_missing_table_is_a_permanent_error() {
    let Some(store) = store("two").await else {
        return;
    };
    let user = UserKey::new(ROOM, "u");
    let long = sanction(&user, "t1", SanctionKind::Timeout, 0, Some(600_000));
    store.issue(&long, KEEP).await.unwrap();
    // Issued after the first ended, a shorter timeout takes its place.
    let short = sanction(&user, "t2", SanctionKind::Timeout, 700_000, Some(760_000));
    store.issue(&short, KEEP).await.unwrap();
    assert_eq!(store.active(&user).await.unwrap().unwrap().id, "t2");

    let missing = SanctionStore::from_client(
        aws_sdk_dynamodb::Client::from_conf(
            aws_sdk_dynamodb::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-west-2"))
                .endpoint_url(std::env::var("E2E_DYNAMODB_URL").unwrap())
                .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
                .build(),
        ),
        "no-such-table",
    );
    let err = missing.active(&user).await.unwrap_err();
    assert_eq!(err.class, ivs_chat::ErrorClass::Permanent, "{err}");
    assert_eq!(err.code, "ResourceNotFoundException", "{err}");
}
