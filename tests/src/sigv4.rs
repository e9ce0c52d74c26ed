//! Verifying AWS Signature Version 4 on incoming requests.
//!
//! The server recomputes the signature of every request from its method, path,
//! query, signed headers and body with the test's secret key, and checks the
//! credential scope names the expected signing service (`ivschat`, or `sqs`
//! for the recovery queue). A request the SDK signed wrongly, or for another
//! service, is therefore refused the way AWS would refuse it.

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id.
    pub access_key: String,
    /// `yyyymmdd` of the scope.
    pub date: String,
    /// The scope's region.
    pub region: String,
    /// The scope's signing service name.
    pub service: String,
    /// Signed header names, as listed.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses an Authorization header.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or("malformed Authorization")?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let credential: Vec<&str> = credential.ok_or("no Credential")?.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = credential[..] else {
        return Err(format!("bad credential scope {credential:?}"));
    };
    Ok(Authorization {
        access_key: access_key.into(),
        date: date.into(),
        region: region.into(),
        service: service.into(),
        signed_headers: signed
            .ok_or("no SignedHeaders")?
            .split(';')
            .map(str::to_string)
            .collect(),
        signature: signature.ok_or("no Signature")?.to_string(),
    })
}

/// Checks a request's signature; the error says what does not match.
///
/// `headers` maps lower-case names to values; `path` is as sent; `query` the
/// raw query string (possibly empty).
pub fn verify(
    method: &str,
    path: &str,
    query: &str,
    headers: &BTreeMap<String, String>,
    body: &[u8],
    secret_key: &str,
    expected_service: &str,
) -> Result<Authorization, String> {
    let auth = parse_authorization(
        headers
            .get("authorization")
            .ok_or("no Authorization header")?,
    )?;
    if auth.service != expected_service {
        return Err(format!(
            "signed for service {:?}, expected {expected_service:?}",
            auth.service
        ));
    }
    let amz_date = headers.get("x-amz-date").ok_or("no x-amz-date")?;
    if !amz_date.starts_with(&auth.date) {
        return Err("x-amz-date does not match the scope date".into());
    }
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err("host is not signed".into());
    }
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let value = headers
            .get(name)
            .ok_or_else(|| format!("signed header {name} missing"))?;
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    let payload_hash = match headers.get("x-amz-content-sha256") {
        Some(h) if h != "UNSIGNED-PAYLOAD" => {
            let actual = hex::encode(Sha256::digest(body));
            if *h != actual {
                return Err("x-amz-content-sha256 does not match the body".into());
            }
            actual
        }
        Some(h) => h.clone(),
        None => hex::encode(Sha256::digest(body)),
    };
    let mut query_pairs: Vec<&str> = query.split('&').filter(|s| !s.is_empty()).collect();
    query_pairs.sort();
    let canonical_request = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        query_pairs.join("&"),
        auth.signed_headers.join(";")
    );
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret_key}").as_bytes(), &auth.date);
    for part in [&auth.region, &auth.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let expected = hex::encode(hmac(&key, &string_to_sign));
    if expected != auth.signature {
        return Err(format!(
            "signature mismatch; canonical request was:\n{canonical_request}"
        ));
    }
    Ok(auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The "get-vanilla" case of AWS's SigV4 test suite.
    fn vanilla(signature: &str, service: &str) -> BTreeMap<String, String> {
        [
            ("host".to_string(), "example.amazonaws.com".to_string()),
            ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
            (
                "authorization".to_string(),
                format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"),
            ),
        ]
        .into()
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const SIGNATURE: &str = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    #[test]
    fn accepts_the_aws_test_vector() {
        let auth = verify(
            "GET",
            "/",
            "",
            &vanilla(SIGNATURE, "service"),
            b"",
            SECRET,
            "service",
        )
        .unwrap();
        assert_eq!(auth.region, "us-east-1");
    }

    #[test]
    fn rejects_tampering_and_the_wrong_service() {
        let mut bad = SIGNATURE.to_string();
        bad.replace_range(0..1, "6");
        assert!(verify(
            "GET",
            "/",
            "",
            &vanilla(&bad, "service"),
            b"",
            SECRET,
            "service"
        )
        .is_err());
        assert!(verify(
            "POST",
            "/",
            "",
            &vanilla(SIGNATURE, "service"),
            b"",
            SECRET,
            "service"
        )
        .is_err());
        assert!(verify(
            "GET",
            "/",
            "",
            &vanilla(SIGNATURE, "service"),
            b"x",
            SECRET,
            "service"
        )
        .is_err());
        assert!(verify(
            "GET",
            "/",
            "",
            &vanilla(SIGNATURE, "service"),
            b"",
            "other",
            "service"
        )
        .is_err());
        let err = verify(
            "GET",
            "/",
            "",
            &vanilla(SIGNATURE, "service"),
            b"",
            SECRET,
            "ivschat",
        )
        .unwrap_err();
        assert!(err.contains("expected \"ivschat\""), "{err}");
    }
}
