//! Configuration from command-line flags and `BANTIN_*` environment variables,
//! declared once (clap derive): each field names its flag, its variable, its
//! default and its help. A flag wins over its variable; both win over the default.

use clap::{ArgGroup, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Whether new comments appear at once or wait for an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Moderation {
    /// Comments appear at once.
    Auto,
    /// Comments wait for an editor's approval.
    Queue,
}

/// SQLite's `synchronous` setting (WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Synchronous {
    /// Every commit is on disk before it is answered: survives a power cut.
    Full,
    /// Commits survive a crash of the process, not of the machine.
    Normal,
}

impl Synchronous {
    pub fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
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

fn database(v: &str) -> Result<Database, String> {
    if v.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(Database::parse(v))
}

fn origin(v: &str) -> Result<String, String> {
    Ok(v.trim().trim_end_matches('/').to_owned())
}

fn key(v: &str) -> Result<Vec<u8>, String> {
    if v.len() < 16 {
        return Err("the key must be at least 16 bytes long".into());
    }
    Ok(v.as_bytes().to_vec())
}

fn token(v: &str) -> Result<String, String> {
    if v.len() < 16 {
        return Err("the token must be at least 16 characters long".into());
    }
    Ok(v.to_owned())
}

fn seconds(min: u64, max: u64) -> impl Fn(&str) -> Result<Duration, String> + Clone {
    move |v| {
        let n: u64 = v
            .trim()
            .parse()
            .map_err(|_| format!("`{v}` is not a whole number"))?;
        if !(min..=max).contains(&n) {
            return Err(format!("must be between {min} and {max} seconds"));
        }
        Ok(Duration::from_secs(n))
    }
}

fn millis(v: &str) -> Result<Duration, String> {
    v.trim()
        .parse()
        .map(Duration::from_millis)
        .map_err(|_| format!("`{v}` is not a whole number"))
}

fn http_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    let uri: axum::http::Uri = v.parse().map_err(|e| format!("not a URL: {e}"))?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(h)) if !h.is_empty() => Ok(v.to_owned()),
        _ => Err("must be an http:// or https:// URL".into()),
    }
}

fn on_off(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" => Ok(true),
        "0" | "off" | "false" | "no" => Ok(false),
        _ => Err(format!("`{v}` is not on/off")),
    }
}

/// A proxy's address or network (`10.0.0.0/8`, `127.0.0.1`, `::1`).
fn cidr(v: &str) -> Result<IpNet, String> {
    let v = v.trim();
    v.parse::<IpNet>()
        .or_else(|_| v.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{v}` is neither an address nor a network like 10.0.0.0/8"))
}

fn article_id(v: &str) -> Result<String, String> {
    if !bantin_protocol::article::is_valid_id(v) {
        return Err(format!(
            "`{v}` is not a valid article id (1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '-')"
        ));
    }
    Ok(v.to_owned())
}

/// A starting number: 0 to [`STARTING_NUMBER_MAX`](bantin_protocol::limits::STARTING_NUMBER_MAX).
fn starting_number(v: &str) -> Result<u64, String> {
    let max = bantin_protocol::limits::STARTING_NUMBER_MAX;
    match v.parse::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("`{v}` is not a number from 0 to {max}")),
    }
}

fn log_level(v: &str) -> Result<String, String> {
    if !matches!(v, "error" | "warn" | "info" | "debug" | "trace") {
        return Err(format!("`{v}` is not a log level"));
    }
    Ok(v.to_owned())
}

fn name(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("a reserved name must not be empty".into());
    }
    Ok(v.to_owned())
}

/// What to do instead of serving.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Starting numbers: what a portal's old counters showed, added to the
    /// live counts wherever they are shown (site visits; article views).
    Counts {
        #[command(subcommand)]
        action: CountsAction,
    },
    /// Prints comments, ratings or visits as JSON (importable) or CSV.
    Export {
        /// comments, ratings, visits, or all (JSON only).
        #[arg(long, value_name = "WHAT", default_value = "all")]
        what: String,
        /// json or csv.
        #[arg(long, value_name = "FORMAT", default_value = "json")]
        format: String,
    },
    /// Adds the contents of a JSON export (comments get new ids).
    Import { file: PathBuf },
    /// Editors' accounts of the moderation console.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum UserAction {
    /// Adds an account; the password is read from standard input.
    Add {
        name: String,
        /// moderator or admin.
        #[arg(long, value_name = "ROLE")]
        role: String,
        #[arg(long, value_name = "EMAIL")]
        email: Option<String>,
    },
    /// Lists the accounts.
    List,
    /// Removes an account (and ends its sessions).
    Remove { name: String },
    /// Sets a new password, read from standard input (and ends the sessions).
    Passwd { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum CountsAction {
    /// Sets starting numbers (each replaces the one stored; 0 removes it)
    /// and prints them.
    Set(CountsSet),
    /// Prints the starting numbers stored and the counts shown with them.
    Show,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(group(ArgGroup::new("what").required(true).multiple(true).args(["site_visits", "views"])))]
pub struct CountsSet {
    /// The site's visits before Bantin ("Thống kê").
    #[arg(long, value_name = "N", value_parser = starting_number)]
    pub site_visits: Option<u64>,
    /// The article whose views are set (with --views).
    #[arg(long, value_name = "ID", requires = "views", value_parser = article_id)]
    pub article: Option<String>,
    /// The article's views before Bantin ("Lượt xem"; with --article).
    #[arg(long, value_name = "N", requires = "article", value_parser = starting_number)]
    pub views: Option<u64>,
}

/// bantin-server: Bantin's API (ratings, comments, captcha, visit counters)
/// and the built widget, on one address.
///
/// Every option can also be set by the environment variable shown; the flag wins.
/// Without a command it serves; `bantin-server counts set|show` manages the
/// starting numbers in the database given by --db.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "bantin-server",
    version,
    max_term_width = 100,
    args_override_self = true
)]
pub struct Config {
    /// Instead of serving (absent: serve).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Listen address.
    #[arg(
        long,
        env = "BANTIN_ADDR",
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: SocketAddr,

    /// SQLite database file (created when missing, mode 0600) or a PostgreSQL URL
    /// postgres://user:password@host:5432/dbname (several instances may share one
    /// PostgreSQL database).
    #[arg(long, env = "BANTIN_DB", value_name = "FILE|URL", default_value = "bantin.db", value_parser = database,
          global = true)]
    pub db: Database,

    /// PostgreSQL connections per instance (unused for SQLite).
    #[arg(long, env = "BANTIN_DB_POOL", value_name = "N", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub db_pool: u16,

    /// SQLite durability: `full` syncs every commit to disk before answering (no
    /// acknowledged write is lost, even on a power cut); `normal` only survives a
    /// crash of the process. See docs/deploy.md for the cost.
    #[arg(
        long,
        env = "BANTIN_SQLITE_SYNCHRONOUS",
        value_name = "full|normal",
        default_value = "full"
    )]
    pub sqlite_synchronous: Synchronous,

    /// Built widget served at /.
    #[arg(
        long = "dist",
        env = "BANTIN_DIST",
        value_name = "DIR",
        default_value = "dist"
    )]
    pub dist_dir: PathBuf,

    /// Article files {id}.json for GET /api/v1/articles/{id}.
    #[arg(
        long = "articles",
        env = "BANTIN_ARTICLES",
        value_name = "DIR",
        default_value = "public/articles"
    )]
    pub articles_dir: PathBuf,

    /// Accept ratings and comments for article ids without a file in --articles.
    #[arg(long, env = "BANTIN_ANY_ARTICLE", value_parser = clap::builder::FalseyValueParser::new())]
    pub any_article: bool,

    /// Comma-separated origins of the portal's pages, e.g. https://portal.example:
    /// allowed to call the API from a browser (CORS) and to write to it; * = any.
    /// The server's own origin is always allowed.
    #[arg(long, env = "BANTIN_ALLOWED_ORIGINS", value_name = "LIST", value_delimiter = ',', value_parser = origin)]
    pub allowed_origins: Vec<String>,

    /// Signing key of captcha challenges and visitor credentials; when absent one
    /// is generated and kept in the database.
    #[arg(long, env = "BANTIN_HMAC_KEY", value_name = "KEY", value_parser = key, hide_env_values = true)]
    pub hmac_key: Option<Vec<u8>>,

    /// Bearer token for /api/v1/admin/*; absent = admin disabled (prefer the
    /// variable: flags show in `ps`).
    #[arg(long, env = "BANTIN_ADMIN_TOKEN", value_name = "TOKEN", value_parser = token, hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Failed admin sign-ins per minute per client address before 429 (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_RATE_ADMIN_FAILURES",
        value_name = "N",
        default_value_t = 10
    )]
    pub rate_admin_failures: u32,

    /// auto: comments appear at once; queue: they wait for approval.
    #[arg(
        long,
        env = "BANTIN_MODERATION",
        value_name = "auto|queue",
        default_value = "auto"
    )]
    pub moderation: Moderation,

    /// Demand a proof-of-work payload on every comment.
    #[arg(long, env = "BANTIN_CAPTCHA", value_name = "on|off", default_value = "on", value_parser = on_off,
          action = clap::ArgAction::Set)]
    pub captcha: bool,

    /// Proof-of-work difficulty: the secret number lies in 0..=N.
    #[arg(long, env = "BANTIN_CAPTCHA_MAXNUMBER", value_name = "N", default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub captcha_maxnumber: u64,

    /// Lifetime of a challenge, in seconds.
    #[arg(long = "captcha-ttl", env = "BANTIN_CAPTCHA_TTL", value_name = "SECONDS", default_value = "600",
          value_parser = seconds(10, 86_400))]
    pub captcha_ttl: Duration,

    /// Refuse comments submitted sooner after the form was shown, in milliseconds.
    #[arg(long = "min-submit-ms", env = "BANTIN_MIN_SUBMIT_MS", value_name = "MS", default_value = "3000",
          value_parser = millis)]
    pub min_submit: Duration,

    /// Names no comment author may take, nor anything confusable with them
    /// (comma-separated; compared by their compatibility form and Unicode
    /// confusable skeleton, ignoring case, spaces, punctuation and diacritics).
    #[arg(long, env = "BANTIN_RESERVED_NAMES", value_name = "LIST", value_delimiter = ',', value_parser = name,
          default_value = "admin,administrator,moderator,Ban biên tập,Quản trị viên,Bantin")]
    pub reserved_names: Vec<String>,

    /// Comments per minute per client address (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_RATE_COMMENTS",
        value_name = "N",
        default_value_t = 5
    )]
    pub rate_comments: u32,

    /// Votes and visits per minute per client address (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_RATE_WRITES",
        value_name = "N",
        default_value_t = 120
    )]
    pub rate_writes: u32,

    /// Lifetime of a visitor credential, in seconds (default 90 days). A
    /// credential older than half of it is renewed (same identity) with the
    /// next visit; an expired one is refused, and its holder gets a new identity.
    #[arg(long = "visitor-ttl", env = "BANTIN_VISITOR_TTL", value_name = "SECONDS", default_value = "7776000",
          value_parser = seconds(60, 31_536_000))]
    pub visitor_ttl: Duration,

    /// New visitor credentials issued per client network (IPv4 address, IPv6
    /// /64) per day (UTC), across all instances (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_VISITORS_PER_NETWORK",
        value_name = "N",
        default_value_t = 200
    )]
    pub visitors_per_network: u32,

    /// New votes per article per client network per day (UTC), across all
    /// instances; changing a vote does not count again (0 = unlimited). An
    /// office or a mobile carrier behind one address shares it: see
    /// docs/deploy.md.
    #[arg(
        long,
        env = "BANTIN_VOTES_PER_NETWORK",
        value_name = "N",
        default_value_t = 20
    )]
    pub votes_per_network: u32,

    /// New comment likes per article per client network per day (UTC), across
    /// all instances; taking a like back does not give it back (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_LIKES_PER_NETWORK",
        value_name = "N",
        default_value_t = 100
    )]
    pub likes_per_network: u32,

    /// Visits counted per visitor credential per day (UTC); later new
    /// sessions are answered but not counted (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_VISITS_PER_VISITOR",
        value_name = "N",
        default_value_t = 30
    )]
    pub visits_per_visitor: u32,

    /// Seconds GET /api/v1/counts may be cached (Cache-Control: public, max-age).
    #[arg(long, env = "BANTIN_COUNTS_MAX_AGE", value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(0..=86_400))]
    pub counts_max_age: u32,

    /// Seconds after posting during which a comment's author may edit or
    /// delete it with the edit token handed out with it (0 = editing off).
    #[arg(long = "edit-window", env = "BANTIN_EDIT_WINDOW", value_name = "SECONDS", default_value = "600",
          value_parser = seconds(0, 2_592_000))]
    pub edit_window: Duration,

    /// Visitors counted as "online" per client network at most (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_ONLINE_PER_NETWORK",
        value_name = "N",
        default_value_t = 50
    )]
    pub online_per_network: u32,

    /// Also keep the visitor credential in an HttpOnly cookie (bantin_visitor),
    /// for readers without localStorage.
    #[arg(long, env = "BANTIN_VISITOR_COOKIE", value_name = "on|off", default_value = "on", value_parser = on_off,
          action = clap::ArgAction::Set)]
    pub visitor_cookie: bool,

    /// Comma-separated addresses or networks of reverse proxies (e.g.
    /// 10.0.0.0/8,127.0.0.1): for requests from them the client address is taken
    /// from X-Forwarded-For (the rightmost entry that is not itself a trusted
    /// proxy). Requests from any other peer are judged by the peer's address.
    #[arg(long, env = "BANTIN_TRUSTED_PROXIES", value_name = "CIDRS", value_delimiter = ',', value_parser = cidr)]
    pub trusted_proxies: Vec<IpNet>,

    /// Longest time a request may take, body included, in seconds (then 408).
    #[arg(long = "request-timeout", env = "BANTIN_REQUEST_TIMEOUT", value_name = "SECONDS", default_value = "15",
          value_parser = seconds(1, 300))]
    pub request_timeout: Duration,

    /// Longest time a client may take to send a request's headers, in seconds.
    #[arg(long = "header-timeout", env = "BANTIN_HEADER_TIMEOUT", value_name = "SECONDS", default_value = "10",
          value_parser = seconds(1, 300))]
    pub header_timeout: Duration,

    /// Open connections at most; more are answered 503 and closed.
    #[arg(long, env = "BANTIN_MAX_CONNECTIONS", value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Open connections at most per client address (IPv6: per /64); trusted
    /// proxies are exempt.
    #[arg(long, env = "BANTIN_MAX_CONNECTIONS_PER_CLIENT", value_name = "N", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_client: u32,

    /// error, warn, info, debug or trace.
    #[arg(long, env = "BANTIN_LOG", value_name = "LEVEL", default_value = "info", value_parser = log_level)]
    pub log: String,

    /// Editors' console: a session unused this long ends.
    #[arg(long = "session-idle", env = "BANTIN_SESSION_IDLE", value_name = "SECONDS", default_value = "7200",
          value_parser = seconds(1, 2_592_000))]
    pub session_idle: Duration,

    /// Editors' console: a session ends this long after sign-in, however used.
    #[arg(long = "session-max", env = "BANTIN_SESSION_MAX", value_name = "SECONDS", default_value = "43200",
          value_parser = seconds(1, 2_592_000))]
    pub session_max: Duration,

    /// Failed sign-ins per account within --sign-in-window before 429 (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_SIGN_IN_FAILURES_PER_ACCOUNT",
        value_name = "N",
        default_value_t = 5
    )]
    pub sign_in_failures_per_account: u32,

    /// Failed sign-ins per client network within --sign-in-window before 429 (0 = unlimited).
    #[arg(
        long,
        env = "BANTIN_SIGN_IN_FAILURES_PER_ADDRESS",
        value_name = "N",
        default_value_t = 20
    )]
    pub sign_in_failures_per_address: u32,

    /// The window the failed sign-ins are counted in.
    #[arg(long = "sign-in-window", env = "BANTIN_SIGN_IN_WINDOW", value_name = "SECONDS", default_value = "900",
          value_parser = seconds(1, 86_400))]
    pub sign_in_window: Duration,

    /// argon2id memory cost of new password hashes, in KiB (time cost 2,
    /// one lane; the OWASP minimum is 19456).
    #[arg(long, env = "BANTIN_ARGON2_MEMORY_KIB", value_name = "KIB", default_value_t = 19_456,
          value_parser = clap::value_parser!(u32).range(8..=4_194_304))]
    pub argon2_memory_kib: u32,

    /// The author name and badge of editors' official replies.
    #[arg(
        long,
        env = "BANTIN_OFFICIAL_BADGE",
        value_name = "TEXT",
        default_value = "Ban biên tập"
    )]
    pub official_badge: String,

    /// Hold comments with a link for review.
    #[arg(long, env = "BANTIN_HOLD_LINKS", value_name = "on|off", default_value = "on", value_parser = on_off,
          action = clap::ArgAction::Set)]
    pub hold_links: bool,

    /// Hold comments with a (Vietnamese) phone number for review.
    #[arg(long, env = "BANTIN_HOLD_PHONES", value_name = "on|off", default_value = "on", value_parser = on_off,
          action = clap::ArgAction::Set)]
    pub hold_phones: bool,

    /// A credential with this many published comments skips the queue and
    /// the link and phone holds (not the keyword lists); 0 = off.
    #[arg(
        long,
        env = "BANTIN_TRUST_AFTER",
        value_name = "N",
        default_value_t = 0
    )]
    pub trust_after: u32,

    /// A comment is hidden after readers' reports from this many distinct
    /// networks (IPv4 /24, IPv6 /48), until an editor decides (0 = never
    /// hidden).
    #[arg(
        long,
        env = "BANTIN_HIDE_AFTER_REPORTS",
        value_name = "N",
        default_value_t = 3
    )]
    pub hide_after_reports: u32,

    /// Where readers and editors reach this server (`https://…`): the
    /// links in alerts; https makes the session cookie Secure; its origin
    /// is the server's own (behind a proxy that rewrites `Host`).
    #[arg(long, env = "BANTIN_PUBLIC_URL", value_name = "URL", value_parser = http_url)]
    pub public_url: Option<String>,

    /// Alerts: a JSON POST here (http or https) for each comment held for
    /// review and each reader's report, signed with --webhook-secret.
    #[arg(long, env = "BANTIN_WEBHOOK_URL", value_name = "URL", value_parser = http_url,
          requires = "webhook_secret")]
    pub webhook_url: Option<String>,

    /// The HMAC-SHA-256 key of the webhook's `X-Bantin-Signature`.
    #[arg(long, env = "BANTIN_WEBHOOK_SECRET", value_name = "SECRET", value_parser = token,
          hide_env_values = true)]
    pub webhook_secret: Option<String>,

    /// Alerts: e-mail through this SMTP server to the accounts' addresses
    /// (smtp://host:port plain or with ?tls=required, smtps://host for TLS;
    /// user:password@ for AUTH).
    #[arg(
        long,
        env = "BANTIN_SMTP_URL",
        value_name = "URL",
        requires = "smtp_from",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,

    /// The From of alert e-mails (`Bantin <bantin@bao.vn>`).
    #[arg(long, env = "BANTIN_SMTP_FROM", value_name = "MAILBOX")]
    pub smtp_from: Option<String>,

    /// Alert e-mails: 0 = one per event at once; N = one digest every N minutes.
    #[arg(long, env = "BANTIN_EMAIL_DIGEST_MINUTES", value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub email_digest_minutes: u32,

    /// Alerts: the delay before the first retry of a failed delivery,
    /// doubled at each further one.
    #[arg(long = "alert-retry-base-ms", env = "BANTIN_ALERT_RETRY_BASE_MS", value_name = "MS",
          default_value = "30000", value_parser = millis)]
    pub alert_retry_base: Duration,

    /// Alerts: attempts per delivery before it is given up ("failed").
    #[arg(long, env = "BANTIN_ALERT_MAX_ATTEMPTS", value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=30))]
    pub alert_max_attempts: u32,
}

impl Default for Config {
    /// The defaults, whatever the environment says.
    fn default() -> Self {
        parse_without_env(["bantin-server"]).expect("the defaults parse")
    }
}

impl Config {
    /// From the process's arguments and environment; prints help, the version or
    /// the error and exits when asked or when they are wrong.
    pub fn from_command_line() -> Config {
        Config::parse()
    }

    /// Whether `ip` is one of the `--trusted-proxies`.
    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        let ip = canonical_ip(ip);
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `args` (with the program name first) without looking at the environment.
pub fn parse_without_env<I, T>(args: I) -> Result<Config, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = Config::command().mut_args(|a| a.env(None));
    Config::from_arg_matches(&command.try_get_matches_from(args)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        parse_without_env(std::iter::once("bantin-server").chain(args.iter().copied()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_declaration_is_consistent() {
        Config::command().debug_assert();
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.db, Database::Sqlite(PathBuf::from("bantin.db")));
        assert_eq!(c.moderation, Moderation::Auto);
        assert!(c.captcha && c.admin_token.is_none() && c.allowed_origins.is_empty());
        assert!(!c.any_article && c.trusted_proxies.is_empty());
        assert_eq!(c.captcha_maxnumber, 100_000);
        assert_eq!(c.min_submit, Duration::from_millis(3000));
        assert_eq!(c.sqlite_synchronous, Synchronous::Full);
        assert_eq!(c.request_timeout, Duration::from_secs(15));
        assert!(c.reserved_names.iter().any(|n| n == "Ban biên tập"));
        assert_eq!(c.visitor_ttl, Duration::from_secs(90 * 86_400));
        assert_eq!(
            (
                c.visitors_per_network,
                c.votes_per_network,
                c.visits_per_visitor,
                c.online_per_network
            ),
            (200, 20, 30, 50)
        );
        assert!(c.visitor_cookie);
        assert_eq!(c.likes_per_network, 100);
        assert_eq!(c.counts_max_age, 60);
        assert_eq!(c.edit_window, Duration::from_secs(600));
        assert_eq!(c.command, None);
        let d = Config::default();
        assert_eq!((d.addr, d.db_pool, d.rate_writes), (c.addr, 16, 120));
    }

    #[test]
    fn flags_and_environment() {
        // The only test that sets variables: the others never read the environment.
        let vars = [
            ("BANTIN_ADDR", "127.0.0.1:1"),
            (
                "BANTIN_ALLOWED_ORIGINS",
                "https://a.example/, https://b.example",
            ),
            ("BANTIN_CAPTCHA", "off"),
            ("BANTIN_ANY_ARTICLE", "1"),
            ("BANTIN_TRUSTED_PROXIES", "10.0.0.0/8,::1"),
        ];
        for (k, v) in vars {
            std::env::set_var(k, v);
        }
        let parsed = Config::try_parse_from([
            "bantin-server",
            "--addr=0.0.0.0:9000",
            "--moderation",
            "queue",
        ]);
        let short = Config::try_parse_from(["bantin-server"]).map(|c| c.admin_token);
        std::env::set_var("BANTIN_ADMIN_TOKEN", "short");
        let bad = Config::try_parse_from(["bantin-server"]).map(|_| ());
        std::env::remove_var("BANTIN_ADMIN_TOKEN");
        for (k, _) in vars {
            std::env::remove_var(k);
        }
        let c = parsed.unwrap();
        assert_eq!(c.addr.to_string(), "0.0.0.0:9000", "the flag wins");
        assert_eq!(c.moderation, Moderation::Queue);
        assert!(c.any_article && !c.captcha);
        assert_eq!(
            c.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
        assert!(c.is_trusted_proxy("10.1.2.3".parse().unwrap()));
        assert!(c.is_trusted_proxy("::ffff:10.1.2.3".parse().unwrap()));
        assert!(c.is_trusted_proxy("::1".parse().unwrap()));
        assert!(!c.is_trusted_proxy("192.0.2.1".parse().unwrap()));
        assert_eq!(short.unwrap(), None);
        let e = bad.unwrap_err().to_string();
        assert!(e.contains("--admin-token") && e.contains("16"), "{e}");
    }

    #[test]
    fn db_selects_postgres_by_url_scheme() {
        let c = run(&["--db", "postgres://u:pw@127.0.0.1:5432/bantin"]).unwrap();
        assert_eq!(
            c.db,
            Database::Postgres("postgres://u:pw@127.0.0.1:5432/bantin".into())
        );
        assert_eq!(c.db.to_string(), "postgres://u:***@127.0.0.1:5432/bantin");
        let c = run(&["--db", "PostgreSQL://db.internal/x"]).unwrap();
        assert!(matches!(c.db, Database::Postgres(_)));
        let c = run(&["--db", "data/postgres.db"]).unwrap();
        assert_eq!(c.db, Database::Sqlite("data/postgres.db".into()));
        assert_eq!(run(&["--db-pool", "4"]).unwrap().db_pool, 4);
        assert!(run(&["--db-pool", "0"]).is_err());
    }

    #[test]
    fn errors_name_the_option() {
        let e = run(&["--moderation", "maybe"]).unwrap_err();
        assert!(e.contains("--moderation"), "{e}");
        let e = run(&["--bogus"]).unwrap_err();
        assert!(e.contains("--bogus"), "{e}");
        let e = run(&["--db"]).unwrap_err();
        assert!(e.contains("--db") && e.contains("value"), "{e}");
        let e = run(&["--captcha-ttl", "5"]).unwrap_err();
        assert!(e.contains("--captcha-ttl") && e.contains("10"), "{e}");
        let e = run(&["--trusted-proxies", "10.0.0.0/33"]).unwrap_err();
        assert!(e.contains("--trusted-proxies"), "{e}");
        assert!(!run(&["--captcha", "off"]).unwrap().captcha);
        // A flag given twice: the last one wins.
        assert!(
            run(&["--captcha", "off", "--captcha", "on"])
                .unwrap()
                .captcha
        );
        assert!(run(&["--captcha=on", "--any-article"]).unwrap().captcha);
        let e = run(&["--trust-proxy"]).unwrap_err();
        assert!(e.contains("--trust-proxy"), "{e}");
        let e = parse_without_env(["bantin-server", "--help"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::DisplayHelp);
        let help = Config::command().render_long_help().to_string();
        for flag in [
            "--addr",
            "--trusted-proxies",
            "BANTIN_DB",
            "--sqlite-synchronous",
        ] {
            assert!(help.contains(flag), "{flag} missing from --help");
        }
    }

    #[test]
    fn counts_commands() {
        let c = run(&["counts", "set", "--site-visits", "2504500"]).unwrap();
        assert_eq!(
            c.command,
            Some(Command::Counts {
                action: CountsAction::Set(CountsSet {
                    site_visits: Some(2_504_500),
                    article: None,
                    views: None
                })
            })
        );
        // --db before or after the command.
        let c = run(&["--db", "a.db", "counts", "show"]).unwrap();
        assert_eq!(
            (c.db, c.command),
            (
                Database::Sqlite("a.db".into()),
                Some(Command::Counts {
                    action: CountsAction::Show
                })
            )
        );
        let c = run(&[
            "counts",
            "set",
            "--article",
            "ky-anh",
            "--views",
            "1200",
            "--db",
            "b.db",
        ])
        .unwrap();
        assert_eq!(c.db, Database::Sqlite("b.db".into()));
        assert!(matches!(
            c.command,
            Some(Command::Counts {
                action: CountsAction::Set(CountsSet {
                    article: Some(_),
                    views: Some(1200),
                    ..
                })
            })
        ));
        for bad in [
            &["counts", "set"][..],
            &["counts", "set", "--views", "5"],
            &["counts", "set", "--article", "a"],
            &["counts", "set", "--article", "../x", "--views", "5"],
            &["counts", "set", "--site-visits", "-1"],
            &["counts", "set", "--site-visits", "9007199254740992"],
            &[
                "counts",
                "set",
                "--article",
                "a",
                "--views",
                "9223372036854775807",
            ],
            &["counts"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            run(&["--edit-window", "0"]).unwrap().edit_window,
            Duration::ZERO
        );
    }

    #[test]
    fn lists_and_networks() {
        let c = run(&[
            "--trusted-proxies",
            "192.0.2.0/24, 2001:db8::/32",
            "--reserved-names",
            "admin, Ban biên tập",
        ])
        .unwrap();
        assert!(c.is_trusted_proxy("192.0.2.77".parse().unwrap()));
        assert!(c.is_trusted_proxy("2001:db8:1::5".parse().unwrap()));
        assert!(!c.is_trusted_proxy("192.0.3.1".parse().unwrap()));
        assert_eq!(c.reserved_names, ["admin", "Ban biên tập"]);
    }
}
