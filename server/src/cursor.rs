//! The `next` cursors of comment lists: opaque to clients, signed by the
//! server (so a forged or altered one, or one of another article's list, is
//! refused), and bound to the order they were made for.
//!
//! Spelling: `n.<created_at>.<id>.<mac>` (newest first),
//! `o.<created_at>.<id>.<mac>` (oldest first),
//! `l.<snapshot>.<likes>.<created_at>.<id>.<mac>` (most liked first: the
//! article's like clock the order was computed at, and the last comment's
//! likes as of it); `<created_at>` is the last comment's time (unix seconds,
//! the order's key with the id); `<mac>` is 16 hex digits of
//! `HMAC-SHA-256(cursor key, article ‖ NUL ‖ the rest)`.
//!
//! The spellings of servers that ordered by id are still read, without a
//! time (the store looks it up: [`crate::store::legacy_anchor_sql`]):
//! `n.<id>.<mac>`, `o.<id>.<mac>`, `l.<snapshot>.<likes>.<id>.<mac>`, and a
//! bare id (`40`, what servers before sorting handed out) as newest first.

use crate::error::Failure;
use crate::store::PageAfter;
use bantin_protocol::api::CommentSort;

/// Hex digits of the MAC kept (64 bits: enough to make guessing pointless;
/// a cursor grants nothing but a page).
const MAC_HEX: usize = 16;
/// Longer cursors are not read at all.
const MAX_LEN: usize = 120;

fn letter(sort: CommentSort) -> &'static str {
    match sort {
        CommentSort::Newest => "n",
        CommentSort::Oldest => "o",
        CommentSort::Liked => "l",
    }
}

fn mac(key: &[u8], article: &str, body: &str) -> String {
    let full = crate::hex(&crate::hmac(key, &[article.as_bytes(), body.as_bytes()]));
    full[..MAC_HEX].to_owned()
}

/// The cursor of the page after `after`, in the list of `article` in `sort`
/// order computed at `snapshot` (liked order only).
pub fn encode(
    key: &[u8],
    article: &str,
    sort: CommentSort,
    snapshot: i64,
    after: PageAfter,
) -> String {
    // A page always knows its last comment's time; without one (not made
    // by a page) the cursor is spelled as before, which the store resolves.
    let at = after.created_at.map_or(String::new(), |t| format!("{t}."));
    let body = match sort {
        CommentSort::Liked => format!("l.{snapshot}.{}.{at}{}", after.score, after.id),
        other => format!("{}.{at}{}", letter(other), after.id),
    };
    let mac = mac(key, article, &body);
    format!("{body}.{mac}")
}

fn refused(message: &str) -> Failure {
    Failure::bad_parameter("cursor", message)
}

fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A time: digits, or `-` and digits (imported comments may be older than
/// 1970).
fn time(s: &str) -> Option<i64> {
    match s.strip_prefix('-') {
        Some(digits) => number::<i64>(digits).map(|t| -t),
        None => number::<i64>(s),
    }
}

fn after(id: u64, score: i64, created_at: Option<i64>) -> PageAfter {
    PageAfter {
        id,
        score,
        created_at,
    }
}

/// Reads a cursor of `article`'s list in `sort` order: the snapshot (liked
/// order) and where the page starts.
pub fn decode(
    key: &[u8],
    article: &str,
    sort: CommentSort,
    cursor: &str,
) -> Result<(Option<i64>, PageAfter), Failure> {
    let foreign = || refused("is not a cursor of this list; pass the `next` of the page before");
    if cursor.len() > MAX_LEN {
        return Err(foreign());
    }
    if sort == CommentSort::Newest {
        if let Some(id) = number::<u64>(cursor) {
            return Ok((None, after(id, 0, None)));
        }
    }
    let Some((body, given)) = cursor.rsplit_once('.') else {
        return Err(foreign());
    };
    let expected = mac(key, article, body);
    if !bantin_protocol::pow::ct_eq(expected.as_bytes(), given.as_bytes()) {
        return Err(foreign());
    }
    let fields: Vec<&str> = body.split('.').collect();
    let made_for = CommentSort::ALL
        .into_iter()
        .find(|s| letter(*s) == fields[0])
        .ok_or_else(foreign)?;
    if made_for != sort {
        return Err(refused(&format!(
            "belongs to the `{made_for}` order, not `{sort}`; start again without a cursor"
        )));
    }
    let parsed = match (sort, &fields[1..]) {
        (CommentSort::Liked, [snapshot, score, rest @ ..]) if rest.len() <= 2 => {
            let (at, id) = match rest {
                [at, id] => (time(at).map(Some), *id),
                [id] => (Some(None), *id),
                _ => (None, ""),
            };
            number::<i64>(snapshot)
                .zip(number::<i64>(score))
                .zip(at)
                .zip(number::<u64>(id))
                .map(|(((snapshot, score), at), id)| (Some(snapshot), after(id, score, at)))
        }
        (CommentSort::Newest | CommentSort::Oldest, [at, id]) => time(at)
            .zip(number::<u64>(id))
            .map(|(at, id)| (None, after(id, 0, Some(at)))),
        (CommentSort::Newest | CommentSort::Oldest, [id]) => {
            number::<u64>(id).map(|id| (None, after(id, 0, None)))
        }
        _ => None,
    };
    parsed.ok_or_else(foreign)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"cursor-key-0123456789";

    #[test]
    fn round_trips_and_refuses_everything_else() {
        for at in [1_700_000_000, -86_400, 0] {
            let after = after(42, 7, Some(at));
            for sort in CommentSort::ALL {
                let c = encode(KEY, "a", sort, 99, after);
                let (snapshot, got) = decode(KEY, "a", sort, &c).unwrap();
                if sort == CommentSort::Liked {
                    assert_eq!((snapshot, got), (Some(99), after), "{c}");
                } else {
                    assert_eq!(
                        (snapshot, got),
                        (None, super::after(42, 0, Some(at))),
                        "{c}"
                    );
                }
                // Another sort's, another article's, another key's, altered.
                for other in CommentSort::ALL.into_iter().filter(|s| *s != sort) {
                    let e = decode(KEY, "a", other, &c).unwrap_err();
                    assert!(e.message.starts_with("cursor: belongs to"), "{}", e.message);
                }
                assert!(decode(KEY, "b", sort, &c).is_err());
                assert!(decode(b"another-key-0123456789", "a", sort, &c).is_err());
                for i in 0..c.len() {
                    let mut bytes = c.clone().into_bytes();
                    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
                    let altered = String::from_utf8(bytes).unwrap();
                    if altered != c {
                        assert!(decode(KEY, "a", sort, &altered).is_err(), "{altered}");
                    }
                }
            }
        }
        let after = after(42, 7, Some(1_700_000_000));
        assert_eq!(
            encode(KEY, "a", CommentSort::Liked, 99, after),
            format!(
                "l.99.7.1700000000.42.{}",
                mac(KEY, "a", "l.99.7.1700000000.42")
            )
        );
        assert_eq!(
            encode(KEY, "a", CommentSort::Newest, 99, after),
            format!("n.1700000000.42.{}", mac(KEY, "a", "n.1700000000.42"))
        );
        // The bare ids of before: newest only, without a time.
        assert_eq!(
            decode(KEY, "a", CommentSort::Newest, "40").unwrap(),
            (None, super::after(40, 0, None))
        );
        for bad in [
            "",
            "-1",
            "x",
            "40.",
            ".",
            "n.40",
            "l.1.2.3",
            &"9".repeat(200),
        ] {
            assert_eq!(
                decode(KEY, "a", CommentSort::Newest, bad)
                    .unwrap_err()
                    .status,
                400,
                "{bad}"
            );
        }
        assert!(decode(KEY, "a", CommentSort::Oldest, "40").is_err());
        assert!(decode(KEY, "a", CommentSort::Liked, "40").is_err());
        // Signed but malformed: a time that is no number, too many fields.
        for (sort, body) in [
            (CommentSort::Newest, "n.x.40"),
            (CommentSort::Newest, "n.--1.40"),
            (CommentSort::Newest, "n.1.2.40"),
            (CommentSort::Liked, "l.1.2.3.4.40"),
            (CommentSort::Liked, "l.1.2.-.40"),
        ] {
            let c = format!("{body}.{}", mac(KEY, "a", body));
            assert!(decode(KEY, "a", sort, &c).is_err(), "{c}");
        }
    }

    /// The spellings of the servers that ordered by id, still read: no time
    /// (the store looks it up).
    #[test]
    fn cursors_of_before_read_without_a_time() {
        for (sort, body, want) in [
            (CommentSort::Newest, "n.40", (None, after(40, 0, None))),
            (CommentSort::Oldest, "o.40", (None, after(40, 0, None))),
            (
                CommentSort::Liked,
                "l.9.3.40",
                (Some(9), after(40, 3, None)),
            ),
        ] {
            let c = format!("{body}.{}", mac(KEY, "a", body));
            assert_eq!(decode(KEY, "a", sort, &c).unwrap(), want, "{c}");
            assert_eq!(encode(KEY, "a", sort, 9, want.1), c);
        }
    }
}
