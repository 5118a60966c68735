//! Configuration from command-line flags and `BANTIN_*` environment variables.
//! A flag wins over its variable; both win over the default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Whether new comments appear at once or wait for an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    Auto,
    Queue,
}

/// Where the data lives: `--db postgres://…` selects PostgreSQL, anything
/// else is the path of a SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL (libpq style, no TLS).
    Postgres(String),
}

impl Database {
    pub fn parse(v: &str) -> Database {
        let lower = v.get(..13).unwrap_or(v).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Database::Postgres(v.to_owned())
        } else {
            Database::Sqlite(v.into())
        }
    }
}

/// Shown in logs and errors: a PostgreSQL URL without its password.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let Some((scheme, rest)) = url.split_once("://") else {
                    return f.write_str(url);
                };
                let end = rest.find(['/', '?']).unwrap_or(rest.len());
                match rest[..end].rsplit_once('@') {
                    Some((userinfo, host)) if userinfo.contains(':') => {
                        let user = userinfo.split(':').next().unwrap_or("");
                        write!(f, "{scheme}://{user}:***@{host}{}", &rest[end..])
                    }
                    _ => f.write_str(url),
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// SQLite file or PostgreSQL URL (`--db`).
    pub db: Database,
    /// Connections to PostgreSQL per instance (`--db-pool`); unused for SQLite.
    pub db_pool: usize,
    pub dist_dir: PathBuf,
    pub articles_dir: PathBuf,
    /// Accept ratings and comments for any valid article id, not only for ids
    /// with a file in `articles_dir`.
    pub any_article: bool,
    /// Exact origins (`https://portal.example`) allowed to call the API from a
    /// browser; `*` allows every origin.
    pub allowed_origins: Vec<String>,
    /// HMAC key of the captcha; generated and stored in the database when absent.
    pub hmac_key: Option<Vec<u8>>,
    /// Bearer token of the admin endpoints; `None` disables them.
    pub admin_token: Option<String>,
    pub moderation: Moderation,
    /// Demand a valid proof-of-work payload on every comment.
    pub captcha: bool,
    pub captcha_maxnumber: u64,
    pub captcha_ttl: Duration,
    /// Comments sent sooner after the form was shown (`elapsed_ms`) are refused.
    pub min_submit: Duration,
    /// Comments per minute per client address (0 = unlimited).
    pub rate_comments: u32,
    /// Votes and visits per minute per client address (0 = unlimited).
    pub rate_writes: u32,
    /// Take the client address from the last `X-Forwarded-For` entry.
    pub trust_proxy: bool,
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: Database::Sqlite("bantin.db".into()),
            db_pool: 16,
            dist_dir: "dist".into(),
            articles_dir: "public/articles".into(),
            any_article: false,
            allowed_origins: Vec::new(),
            hmac_key: None,
            admin_token: None,
            moderation: Moderation::Auto,
            captcha: true,
            captcha_maxnumber: 100_000,
            captcha_ttl: Duration::from_secs(600),
            min_submit: Duration::from_millis(3_000),
            rate_comments: 5,
            rate_writes: 120,
            trust_proxy: false,
            log: "info".into(),
        }
    }
}

pub const HELP: &str = "\
bantin-server: Bantin's API (ratings, comments, captcha, visit counters) and the built widget, on one address.

USAGE:
    bantin-server [OPTIONS]

Every option can also be set by the environment variable shown; the flag wins.

OPTIONS:
    --addr <HOST:PORT>          Listen address [BANTIN_ADDR] (default 127.0.0.1:8080)
    --db <FILE|URL>             SQLite database file, created when missing, or a PostgreSQL URL
                                postgres://user:password@host:5432/dbname (several instances may
                                share one PostgreSQL database) [BANTIN_DB] (default bantin.db)
    --db-pool <N>               PostgreSQL connections per instance [BANTIN_DB_POOL] (default 16)
    --dist <DIR>                Built widget served at / [BANTIN_DIST] (default dist)
    --articles <DIR>            Article files {id}.json for GET /api/v1/articles/{id} [BANTIN_ARTICLES]
                                (default public/articles)
    --any-article               Accept ratings and comments for article ids without a file in --articles
                                [BANTIN_ANY_ARTICLE=1]
    --allowed-origins <LIST>    Comma-separated origins allowed to call the API from a browser (CORS),
                                e.g. https://portal.example; * = any [BANTIN_ALLOWED_ORIGINS] (default none)
    --hmac-key <KEY>            Captcha signing key; when absent one is generated and kept in the database
                                [BANTIN_HMAC_KEY]
    --admin-token <TOKEN>       Bearer token for /api/v1/admin/*; absent = admin disabled
                                [BANTIN_ADMIN_TOKEN] (prefer the variable: flags show in `ps`)
    --moderation <auto|queue>   auto: comments appear at once; queue: they wait for approval
                                [BANTIN_MODERATION] (default auto)
    --captcha <on|off>          Demand a proof-of-work payload on every comment [BANTIN_CAPTCHA] (default on)
    --captcha-maxnumber <N>     Proof-of-work difficulty: the secret number lies in 0..=N
                                [BANTIN_CAPTCHA_MAXNUMBER] (default 100000)
    --captcha-ttl <SECONDS>     Lifetime of a challenge [BANTIN_CAPTCHA_TTL] (default 600)
    --min-submit-ms <MS>        Refuse comments submitted sooner after the form was shown
                                [BANTIN_MIN_SUBMIT_MS] (default 3000)
    --rate-comments <N>         Comments per minute per client address, 0 = unlimited
                                [BANTIN_RATE_COMMENTS] (default 5)
    --rate-writes <N>           Votes and visits per minute per client address, 0 = unlimited
                                [BANTIN_RATE_WRITES] (default 120)
    --trust-proxy               Client address from the last X-Forwarded-For entry (behind a reverse
                                proxy only) [BANTIN_TRUST_PROXY=1]
    --log <LEVEL>               error, warn, info, debug or trace [BANTIN_LOG] (default info)
    -h, --help                  Print this help
    -V, --version               Print the version
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    Help,
    Version,
}

/// Parses `args` (without the program name) over the environment `env`.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut c = Config::default();
    // Environment first, so flags override it.
    for (var, flag) in OPTIONS {
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            apply(&mut c, flag, Some(v)).map_err(|e| format!("{var}: {e}"))?;
        }
    }
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            _ => {}
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if !OPTIONS.iter().any(|(_, f)| *f == flag) {
            return Err(format!("unknown option `{arg}` (see --help)"));
        }
        let value = if is_switch(&flag) {
            inline.or(Some("1".into()))
        } else {
            match inline {
                Some(v) => Some(v),
                None => Some(
                    args.next()
                        .ok_or_else(|| format!("{flag} needs a value (see --help)"))?,
                ),
            }
        };
        apply(&mut c, &flag, value).map_err(|e| format!("{flag}: {e}"))?;
    }
    Ok(Command::Run(Box::new(c)))
}

const OPTIONS: &[(&str, &str)] = &[
    ("BANTIN_ADDR", "--addr"),
    ("BANTIN_DB", "--db"),
    ("BANTIN_DB_POOL", "--db-pool"),
    ("BANTIN_DIST", "--dist"),
    ("BANTIN_ARTICLES", "--articles"),
    ("BANTIN_ANY_ARTICLE", "--any-article"),
    ("BANTIN_ALLOWED_ORIGINS", "--allowed-origins"),
    ("BANTIN_HMAC_KEY", "--hmac-key"),
    ("BANTIN_ADMIN_TOKEN", "--admin-token"),
    ("BANTIN_MODERATION", "--moderation"),
    ("BANTIN_CAPTCHA", "--captcha"),
    ("BANTIN_CAPTCHA_MAXNUMBER", "--captcha-maxnumber"),
    ("BANTIN_CAPTCHA_TTL", "--captcha-ttl"),
    ("BANTIN_MIN_SUBMIT_MS", "--min-submit-ms"),
    ("BANTIN_RATE_COMMENTS", "--rate-comments"),
    ("BANTIN_RATE_WRITES", "--rate-writes"),
    ("BANTIN_TRUST_PROXY", "--trust-proxy"),
    ("BANTIN_LOG", "--log"),
];

fn is_switch(flag: &str) -> bool {
    matches!(flag, "--any-article" | "--trust-proxy")
}

fn apply(c: &mut Config, flag: &str, value: Option<String>) -> Result<(), String> {
    let v = value.unwrap_or_default();
    fn num<T: std::str::FromStr>(v: &str) -> Result<T, String> {
        v.trim()
            .parse()
            .map_err(|_| format!("`{v}` is not a whole number"))
    }
    match flag {
        "--addr" => {
            c.addr = v
                .parse()
                .map_err(|_| format!("`{v}` is not an address like 127.0.0.1:8080"))?
        }
        "--db" => c.db = Database::parse(&v),
        "--db-pool" => {
            c.db_pool = num(&v)?;
            if !(1..=1000).contains(&c.db_pool) {
                return Err("must be between 1 and 1000".into());
            }
        }
        "--dist" => c.dist_dir = v.into(),
        "--articles" => c.articles_dir = v.into(),
        "--any-article" => c.any_article = bool_value(&v)?,
        "--allowed-origins" => {
            c.allowed_origins = v
                .split(',')
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect()
        }
        "--hmac-key" => {
            if v.len() < 16 {
                return Err("the key must be at least 16 bytes long".into());
            }
            c.hmac_key = Some(v.into_bytes())
        }
        "--admin-token" => {
            if v.len() < 16 {
                return Err("the token must be at least 16 characters long".into());
            }
            c.admin_token = Some(v)
        }
        "--moderation" => {
            c.moderation = match v.as_str() {
                "auto" => Moderation::Auto,
                "queue" => Moderation::Queue,
                _ => return Err(format!("`{v}` is neither auto nor queue")),
            }
        }
        "--captcha" => c.captcha = bool_value(&v)?,
        "--captcha-maxnumber" => {
            c.captcha_maxnumber = num(&v)?;
            if c.captcha_maxnumber == 0 || c.captcha_maxnumber > 100_000_000 {
                return Err("must be between 1 and 100000000".into());
            }
        }
        "--captcha-ttl" => {
            let secs: u64 = num(&v)?;
            if !(10..=86_400).contains(&secs) {
                return Err("must be between 10 and 86400 seconds".into());
            }
            c.captcha_ttl = Duration::from_secs(secs)
        }
        "--min-submit-ms" => c.min_submit = Duration::from_millis(num(&v)?),
        "--rate-comments" => c.rate_comments = num(&v)?,
        "--rate-writes" => c.rate_writes = num(&v)?,
        "--trust-proxy" => c.trust_proxy = bool_value(&v)?,
        "--log" => {
            if !matches!(v.as_str(), "error" | "warn" | "info" | "debug" | "trace") {
                return Err(format!("`{v}` is not a log level"));
            }
            c.log = v
        }
        _ => unreachable!("checked against OPTIONS"),
    }
    Ok(())
}

fn bool_value(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" => Ok(true),
        "0" | "off" | "false" | "no" => Ok(false),
        _ => Err(format!("`{v}` is not on/off")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match parse(args.iter().map(|s| s.to_string()), |k| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })? {
            Command::Run(c) => Ok(*c),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[], &[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.db, Database::Sqlite(PathBuf::from("bantin.db")));
        assert_eq!(c.moderation, Moderation::Auto);
        assert!(c.captcha && c.admin_token.is_none() && c.allowed_origins.is_empty());
        assert_eq!(c.captcha_maxnumber, 100_000);
        assert_eq!(c.min_submit, Duration::from_millis(3000));
    }

    #[test]
    fn flags_override_environment() {
        let c = run(
            &[
                "--addr=0.0.0.0:9000",
                "--moderation",
                "queue",
                "--trust-proxy",
            ],
            &[
                ("BANTIN_ADDR", "127.0.0.1:1"),
                (
                    "BANTIN_ALLOWED_ORIGINS",
                    "https://a.example/, https://b.example",
                ),
                ("BANTIN_CAPTCHA", "off"),
            ],
        )
        .unwrap();
        assert_eq!(c.addr.to_string(), "0.0.0.0:9000");
        assert_eq!(c.moderation, Moderation::Queue);
        assert!(c.trust_proxy && !c.captcha);
        assert_eq!(
            c.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
    }

    #[test]
    fn db_selects_postgres_by_url_scheme() {
        let c = run(&["--db", "postgres://u:pw@127.0.0.1:5432/bantin"], &[]).unwrap();
        assert_eq!(
            c.db,
            Database::Postgres("postgres://u:pw@127.0.0.1:5432/bantin".into())
        );
        assert_eq!(c.db.to_string(), "postgres://u:***@127.0.0.1:5432/bantin");
        let c = run(&[], &[("BANTIN_DB", "PostgreSQL://db.internal/x")]).unwrap();
        assert!(matches!(c.db, Database::Postgres(_)));
        let c = run(&["--db", "data/postgres.db"], &[]).unwrap();
        assert_eq!(c.db, Database::Sqlite("data/postgres.db".into()));
        assert_eq!(run(&["--db-pool", "4"], &[]).unwrap().db_pool, 4);
        assert!(run(&["--db-pool", "0"], &[]).is_err());
    }

    #[test]
    fn errors_name_the_option() {
        let e = run(&["--moderation", "maybe"], &[]).unwrap_err();
        assert!(e.starts_with("--moderation"), "{e}");
        let e = run(&["--bogus"], &[]).unwrap_err();
        assert!(e.contains("--bogus"), "{e}");
        let e = run(&["--db"], &[]).unwrap_err();
        assert!(e.contains("needs a value"), "{e}");
        let e = run(&[], &[("BANTIN_ADMIN_TOKEN", "short")]).unwrap_err();
        assert!(e.starts_with("BANTIN_ADMIN_TOKEN"), "{e}");
        assert!(matches!(
            parse(["--help".to_string()], |_| None),
            Ok(Command::Help)
        ));
    }
}
