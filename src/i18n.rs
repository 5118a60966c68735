//! Every string the widget shows, in Vietnamese (default) and English, in one table.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    WidgetRegion,
    Loading,
    Retry,
    TechnicalDetails,
    ErrorTitle,
    ErrNetwork,
    ErrTimeout,
    ErrNotFound,
    /// `{}`: the HTTP status.
    ErrHttp,
    ErrMalformed,
    ErrNotArticle,
    ErrTooLarge,
    ConfigTitle,
    ConfigMissingArticle,
    ConfigArticleIdNeedsApi,
    /// `{}`: the unknown part.
    ConfigUnknownPart,
    ConfigNoParts,
    /// `{}`: the unknown language.
    ConfigUnknownLang,
    /// `{}`: the unknown captcha mode.
    ConfigUnknownCaptcha,
    /// `{}`: the unknown theme.
    ConfigUnknownTheme,
    Published,
    Updated,
    Author,
    Source,
    Related,
    RatingHeading,
    /// `{count}`, `{average}`.
    RatingSummary,
    /// `{count}` (1), `{average}`.
    RatingSummaryOne,
    CommentsHeading,
    CommentsStatic,
    CountersHeading,
    CountersVisits,
    CountersOnline,
    CountersUnavailable,
    /// `{}`: seconds.
    ErrRateLimited,
    /// `{}`: the server's reason.
    ErrRefused,
    ErrBadAnswer,
    RatingGroup,
    /// `{}`: 1 to 5.
    RatingStar,
    /// `{}`: 1 to 5.
    RatingYours,
    /// `{}`: why.
    RatingVoteFailed,
    /// `{}`: why.
    RatingLoadFailed,
    CommentsEmpty,
    /// `{}`: why.
    CommentsLoadFailed,
    MoreComments,
    LoadingMore,
    Reply,
    /// `{}`: the author replied to.
    ReplyingTo,
    CancelReply,
    NameLabel,
    EmailLabel,
    BodyLabel,
    /// `{count}`, `{max}`.
    CharCount,
    CaptchaLabel,
    CaptchaImage,
    CaptchaRefresh,
    CaptchaWrong,
    Honeypot,
    Submit,
    Verifying,
    Sending,
    /// `{}`: the attempt number.
    Queued,
    SendNow,
    CommentPublished,
    PendingModeration,
    NameRequired,
    BodyRequired,
    EmailInvalid,
    DraftRestored,
    JustNow,
    MinuteAgo,
    MinutesAgo,
    HourAgo,
    HoursAgo,
    DayAgo,
    DaysAgo,
}

/// `(Vietnamese, English)` for each message. The one place UI text lives.
const fn entry(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        WidgetRegion => ("Bài viết", "Article"),
        Loading => ("Đang tải bài viết…", "Loading the article…"),
        Retry => ("Thử lại", "Try again"),
        TechnicalDetails => ("Chi tiết kỹ thuật", "Technical details"),
        ErrorTitle => ("Không tải được bài viết", "The article could not be loaded"),
        ErrNetwork => (
            "Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng rồi thử lại.",
            "Could not reach the server. Check your connection and try again.",
        ),
        ErrTimeout => (
            "Máy chủ phản hồi quá lâu. Vui lòng thử lại sau ít phút.",
            "The server took too long to answer. Please try again in a moment.",
        ),
        ErrNotFound => (
            "Không tìm thấy bài viết (lỗi 404). Bài có thể đã bị gỡ hoặc đổi địa chỉ.",
            "Article not found (error 404). It may have been removed or moved.",
        ),
        ErrHttp => (
            "Máy chủ đang gặp sự cố (mã lỗi {}). Vui lòng thử lại sau.",
            "The server had a problem (status {}). Please try again later.",
        ),
        ErrMalformed => (
            "Dữ liệu bài viết bị hỏng nên không đọc được.",
            "The article data is corrupted and cannot be read.",
        ),
        ErrNotArticle => (
            "Dữ liệu nhận được không phải là một bài viết hợp lệ.",
            "The data received is not a valid article.",
        ),
        ErrTooLarge => (
            "Bài viết quá lớn để hiển thị.",
            "The article is too large to show.",
        ),
        ConfigTitle => ("Cấu hình Bantin chưa đúng", "Bantin is not configured correctly"),
        ConfigMissingArticle => (
            "Thiếu thuộc tính data-article (địa chỉ tệp JSON của bài viết).",
            "The data-article attribute (the article's JSON address) is missing.",
        ),
        ConfigArticleIdNeedsApi => (
            "data-article-id cần có data-api để biết hỏi máy chủ nào.",
            "data-article-id needs data-api to know which server to ask.",
        ),
        ConfigUnknownPart => (
            "data-parts có phần không xác định: “{}”. Các phần hợp lệ: article, rating, comments, counters.",
            "data-parts names an unknown part: “{}”. Valid parts: article, rating, comments, counters.",
        ),
        ConfigNoParts => (
            "data-parts không có phần nào để hiển thị.",
            "data-parts names no part to show.",
        ),
        ConfigUnknownLang => (
            "data-lang có ngôn ngữ không hỗ trợ: “{}”. Dùng vi hoặc en.",
            "data-lang names an unsupported language: “{}”. Use vi or en.",
        ),
        ConfigUnknownCaptcha => (
            "data-captcha không hợp lệ: “{}”. Dùng pow, code hoặc code+pow.",
            "data-captcha is not valid: “{}”. Use pow, code or code+pow.",
        ),
        ConfigUnknownTheme => (
            "data-theme không hợp lệ: “{}”. Dùng light, dark hoặc auto.",
            "data-theme is not valid: “{}”. Use light, dark or auto.",
        ),
        Published => ("Đăng lúc", "Published"),
        Updated => ("Cập nhật", "Updated"),
        Author => ("Tác giả", "Author"),
        Source => ("Nguồn", "Source"),
        Related => ("Tin liên quan", "Related articles"),
        RatingHeading => ("Đánh giá", "Rating"),
        RatingSummaryOne => (
            "lượt đánh giá: {count}, trung bình: {average}",
            "{count} rating, average {average}",
        ),
        RatingSummary => (
            "lượt đánh giá: {count}, trung bình: {average}",
            "{count} ratings, average {average}",
        ),
        CommentsHeading => ("Bình luận", "Comments"),
        CommentsStatic => (
            "Trang này chưa kết nối máy chủ bình luận nên chưa thể gửi. Nội dung bạn nhập vẫn được lưu nháp trên trình duyệt này.",
            "This page is not connected to a comment server, so comments cannot be sent. What you type is kept as a draft in this browser.",
        ),
        CountersHeading => ("Thống kê truy cập", "Visitor statistics"),
        CountersVisits => ("Thống kê", "Visits"),
        CountersOnline => ("Online", "Online now"),
        CountersUnavailable => ("Chưa tải được số liệu thống kê.", "Statistics are unavailable right now."),
        ErrRateLimited => (
            "Bạn thao tác quá nhanh. Vui lòng thử lại sau {} giây.",
            "Too many requests. Please try again in {} seconds.",
        ),
        ErrRefused => ("Máy chủ từ chối yêu cầu ({}).", "The server refused the request ({})."),
        ErrBadAnswer => (
            "Máy chủ trả lời không đúng định dạng.",
            "The server's answer could not be understood.",
        ),
        RatingGroup => ("Chấm điểm bài viết", "Rate this article"),
        RatingStar => ("{} sao", "{} stars"),
        RatingYours => ("Bạn đã chấm {} sao.", "You rated it {} stars."),
        RatingVoteFailed => ("Chưa lưu được đánh giá của bạn. {}", "Your rating was not saved. {}"),
        RatingLoadFailed => ("Chưa tải được đánh giá mới nhất. {}", "The latest ratings could not be loaded. {}"),
        CommentsEmpty => ("Chưa có bình luận nào.", "No comments yet."),
        CommentsLoadFailed => ("Không tải được bình luận. {}", "Comments could not be loaded. {}"),
        MoreComments => ("Xem thêm", "Show more"),
        LoadingMore => ("Đang tải…", "Loading…"),
        Reply => ("Trả lời", "Reply"),
        ReplyingTo => ("Đang trả lời {}.", "Replying to {}."),
        CancelReply => ("Huỷ trả lời", "Cancel reply"),
        NameLabel => ("Họ và tên", "Name"),
        EmailLabel => ("Email (không bắt buộc, không hiển thị)", "Email (optional, never shown)"),
        BodyLabel => ("Nội dung bình luận", "Your comment"),
        CharCount => ("{count}/{max} ký tự", "{count}/{max} characters"),
        CaptchaLabel => ("Mã xác thực", "Verification code"),
        CaptchaImage => (
            "Mã xác thực dạng hình ảnh: nhập các ký tự trong hình",
            "Verification code image: type the characters shown",
        ),
        CaptchaRefresh => ("Đổi mã khác", "Show another code"),
        CaptchaWrong => ("Mã xác thực không đúng.", "The verification code is wrong."),
        Honeypot => ("Để trống ô này", "Leave this empty"),
        Submit => ("Gửi bình luận", "Post comment"),
        Verifying => ("Đang xác minh...", "Verifying..."),
        Sending => ("Đang gửi…", "Sending…"),
        Queued => (
            "Chưa gửi được (lần thử {}). Bình luận được giữ lại và sẽ tự gửi lại khi có kết nối.",
            "Not sent yet (attempt {}). Your comment is kept and will be sent again when the connection is back.",
        ),
        SendNow => ("Gửi ngay", "Send now"),
        CommentPublished => ("Bình luận của bạn đã được đăng.", "Your comment has been posted."),
        PendingModeration => ("Bình luận của bạn đang chờ duyệt.", "Your comment is awaiting moderation."),
        NameRequired => ("Vui lòng nhập họ và tên (tối đa 80 ký tự).", "Please enter your name (up to 80 characters)."),
        BodyRequired => (
            "Vui lòng nhập nội dung bình luận (tối đa 2.000 ký tự).",
            "Please write your comment (up to 2,000 characters).",
        ),
        EmailInvalid => ("Địa chỉ email không hợp lệ.", "The email address is not valid."),
        DraftRestored => ("Đã khôi phục bản nháp bạn chưa gửi.", "Your unsent draft was restored."),
        JustNow => ("vừa xong", "just now"),
        MinuteAgo => ("1 phút trước", "1 minute ago"),
        MinutesAgo => ("{} phút trước", "{} minutes ago"),
        HourAgo => ("1 giờ trước", "1 hour ago"),
        HoursAgo => ("{} giờ trước", "{} hours ago"),
        DayAgo => ("1 ngày trước", "1 day ago"),
        DaysAgo => ("{} ngày trước", "{} days ago"),
    }
}

pub fn t(lang: Lang, msg: Msg) -> &'static str {
    let (vi, en) = entry(msg);
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A message with its one `{}` placeholder filled in.
pub fn t1(lang: Lang, msg: Msg, arg: &str) -> String {
    t(lang, msg).replacen("{}", arg, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_case_insensitively() {
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse(" en-GB "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            t1(Lang::Vi, Msg::ErrHttp, "500"),
            "Máy chủ đang gặp sự cố (mã lỗi 500). Vui lòng thử lại sau."
        );
        assert_eq!(
            t1(Lang::En, Msg::ConfigUnknownLang, "fr")
                .matches("“fr”")
                .count(),
            1
        );
    }
}
