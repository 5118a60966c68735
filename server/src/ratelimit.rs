//! Per-address token buckets, in memory (a restart forgets them, which is fine
//! for abuse control). IPv6 clients are grouped by /64, the usual size of one
//! subscriber's network.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Comments,
    Writes,
    /// Admin requests with a wrong or missing token.
    AdminFailures,
}

struct Bucket {
    tokens: f64,
    last: Instant,
    per_minute: u32,
}

#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(Class, IpAddr), Bucket>>,
}

/// The client network an address belongs to: an IPv4 address itself (also
/// when IPv4-mapped), an IPv6 address's /64.
pub fn network(ip: IpAddr) -> IpAddr {
    key(ip)
}

fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

impl RateLimiter {
    /// Takes one token; `Err(seconds)` until the next one when the bucket is
    /// empty. A bucket holds `per_minute` tokens and refills at that rate.
    /// `per_minute == 0` means unlimited.
    pub fn check(
        &self,
        class: Class,
        ip: IpAddr,
        per_minute: u32,
        now: Instant,
    ) -> Result<(), u64> {
        if per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(per_minute);
        let rate = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let b = buckets.entry((class, key(ip))).or_insert(Bucket {
            tokens: capacity,
            last: now,
            per_minute,
        });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(capacity);
        b.last = now;
        b.per_minute = per_minute;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil() as u64)
        }
    }

    /// `Err(seconds)` when the bucket is empty, without taking a token.
    pub fn peek(&self, class: Class, ip: IpAddr, per_minute: u32, now: Instant) -> Result<(), u64> {
        if per_minute == 0 {
            return Ok(());
        }
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = buckets.get(&(class, key(ip))) else {
            return Ok(());
        };
        let rate = f64::from(per_minute) / 60.0;
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        let tokens = (b.tokens + elapsed * rate).min(f64::from(per_minute));
        if tokens >= 1.0 {
            Ok(())
        } else {
            Err(((1.0 - tokens) / rate).ceil() as u64)
        }
    }

    /// Forgets buckets that have refilled completely (they equal a new one).
    pub fn prune(&self, now: Instant) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.retain(|_, b| {
            let capacity = f64::from(b.per_minute);
            let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
            b.tokens + elapsed * capacity / 60.0 < capacity
        });
    }

    pub fn len(&self) -> usize {
        self.buckets.lock().map(|b| b.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_refills_at_its_rate() {
        let l = RateLimiter::default();
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check(Class::Comments, ip, 3, t0).is_ok());
        }
        assert_eq!(l.check(Class::Comments, ip, 3, t0), Err(20));
        // Other classes and addresses have their own buckets.
        assert!(l.check(Class::Writes, ip, 3, t0).is_ok());
        assert!(l
            .check(Class::Comments, "203.0.113.8".parse().unwrap(), 3, t0)
            .is_ok());
        assert!(l
            .check(Class::Comments, ip, 3, t0 + Duration::from_secs(20))
            .is_ok());
        assert!(l
            .check(Class::Comments, ip, 3, t0 + Duration::from_secs(21))
            .is_err());
        assert!(l.check(Class::Comments, ip, 0, t0).is_ok());
        l.prune(t0 + Duration::from_secs(120));
        assert!(l.is_empty());
    }

    #[test]
    fn ipv6_is_grouped_by_64() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        assert!(l
            .check(Class::Writes, "2001:db8::1".parse().unwrap(), 1, t0)
            .is_ok());
        assert!(l
            .check(Class::Writes, "2001:db8::ffff:2".parse().unwrap(), 1, t0)
            .is_err());
        assert!(l
            .check(Class::Writes, "2001:db8:0:1::1".parse().unwrap(), 1, t0)
            .is_ok());
    }
}
