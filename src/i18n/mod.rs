//! Every string the widget shows, in Vietnamese (default) and English: the
//! first download's table here, the deferred parts' in [`parts`] (so the
//! article's wasm carries none of the comment form's text).

pub mod parts;

pub use bantin_protocol::locale::Lang;

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
    Views,
    RatingHeading,
    CommentsHeading,
    CountersHeading,
    CountersVisits,
    CountersOnline,
    CountersUnavailable,
    /// `{}`: seconds.
    ErrRateLimited,
    /// `{}`: the server's reason.
    ErrRefused,
    ErrBadAnswer,
    ErrDeferred,
    DeferredTitle,
    DeferredLoading,
    /// `{}`: the id that was given.
    ConfigBadArticleId,
}

/// `(Vietnamese, English)` for each message.
const fn entry(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        ErrDeferred => (
            "Không tải được phần đánh giá và bình luận. Vui lòng kiểm tra mạng rồi thử lại.",
            "The rating and comments could not be loaded. Check your connection and try again.",
        ),
        DeferredTitle => ("Đánh giá và bình luận", "Rating and comments"),
        DeferredLoading => ("Đang tải phần đánh giá và bình luận…", "Loading the rating and comments…"),
        ConfigBadArticleId => (
            "data-article-id không hợp lệ: “{}”. Chỉ dùng chữ cái không dấu, chữ số và các dấu - _ .",
            "data-article-id is not valid: “{}”. Use only A-Z, a-z, 0-9 and - _ .",
        ),
        WidgetRegion => ("Bài viết", "Article"),
        Views => ("Lượt xem", "Views"),
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
            "Thiếu thuộc tính data-article (địa chỉ tệp JSON của bài viết) hoặc data-article-id (cùng data-api).",
            "The data-article attribute (the article's JSON address), or data-article-id with data-api, is missing.",
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
        CommentsHeading => ("Bình luận", "Comments"),
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
    }
}
/// A table of UI text: each message in Vietnamese and English.
pub trait Text: Copy {
    fn entry(self) -> (&'static str, &'static str);
}

impl Text for Msg {
    fn entry(self) -> (&'static str, &'static str) {
        entry(self)
    }
}

pub fn t(lang: Lang, msg: impl Text) -> &'static str {
    let (vi, en) = msg.entry();
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A message with its one `{}` placeholder filled in.
pub fn t1(lang: Lang, msg: impl Text, arg: &str) -> String {
    t(lang, msg).replacen("{}", arg, 1)
}
#[cfg(test)]
mod tests {
    use super::*;

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
