//! The text of the deferred parts (rating, comments, captcha), apart from
//! the first download's table.

use super::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// `{count}`, `{average}`.
    RatingSummary,
    /// `{count}` (1), `{average}`.
    RatingSummaryOne,
    CommentsStatic,
    RatingGroup,
    /// `{}`: 1 to 5.
    RatingStar,
    /// `{}`: 1 to 5.
    RatingYours,
    /// `{}`: why.
    RatingVoteFailed,
    /// `{}`: why.
    RatingLoadFailed,
    RatingCapReached,
    CommentsEmpty,
    /// `{}`: why.
    CommentsLoadFailed,
    MoreComments,
    /// `{}`: how many replies are not shown yet.
    MoreReplies,
    LoadingMore,
    SortLabel,
    SortNewest,
    SortOldest,
    SortLiked,
    Like,
    /// `{}`: how many likes.
    LikeCount,
    /// `{}`: why.
    LikeFailed,
    LikeCapReached,
    Edit,
    EditLabel,
    Save,
    Cancel,
    Delete,
    ConfirmDelete,
    Deleted,
    Edited,
    Report,
    ConfirmReport,
    SendReport,
    Reported,
    /// `{}`: why.
    ReportFailed,
    Pinned,
    EditPending,
    EditClosed,
    EditClosedKept,
    /// `{}`: why.
    EditFailed,
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
    BodyTooLong,
    EarlierVersionPosted,
    EmailInvalid,
    DraftRestored,
    DraftNotSaved,
    JustNow,
    MinuteAgo,
    MinutesAgo,
    HourAgo,
    HoursAgo,
    DayAgo,
    DaysAgo,
}

/// `(Vietnamese, English)` for each message.
const fn entry(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        RatingSummaryOne => (
            "lượt đánh giá: {count}, trung bình: {average}",
            "{count} rating, average {average}",
        ),
        RatingSummary => (
            "lượt đánh giá: {count}, trung bình: {average}",
            "{count} ratings, average {average}",
        ),
        CommentsStatic => (
            "Trang này chưa kết nối máy chủ bình luận nên chưa thể gửi. Nội dung bạn nhập vẫn được lưu nháp trên trình duyệt này.",
            "This page is not connected to a comment server, so comments cannot be sent. What you type is kept as a draft in this browser.",
        ),
        RatingGroup => ("Chấm điểm bài viết", "Rate this article"),
        RatingStar => ("{} sao", "{} stars"),
        RatingYours => ("Bạn đã chấm {} sao.", "You rated it {} stars."),
        RatingVoteFailed => ("Chưa lưu được đánh giá của bạn. {}", "Your rating was not saved. {}"),
        RatingCapReached => (
            "Hôm nay mạng của bạn đã đạt giới hạn lượt đánh giá cho bài viết này. Vui lòng thử lại vào ngày mai.",
            "Your network has reached today's limit of ratings for this article. Please try again tomorrow.",
        ),
        RatingLoadFailed => ("Chưa tải được đánh giá mới nhất. {}", "The latest ratings could not be loaded. {}"),
        CommentsEmpty => ("Chưa có bình luận nào.", "No comments yet."),
        CommentsLoadFailed => ("Không tải được bình luận. {}", "Comments could not be loaded. {}"),
        MoreComments => ("Xem thêm", "Show more"),
        MoreReplies => ("Xem thêm {} trả lời", "Show {} more replies"),
        LoadingMore => ("Đang tải…", "Loading…"),
        SortLabel => ("Sắp xếp", "Sort by"),
        SortNewest => ("Mới nhất", "Newest"),
        SortOldest => ("Cũ nhất", "Oldest"),
        SortLiked => ("Được thích nhất", "Most liked"),
        Like => ("Thích", "Like"),
        LikeCount => ("{} lượt thích", "{} likes"),
        LikeFailed => ("Chưa ghi nhận được lượt thích: {}", "The like was not recorded: {}"),
        LikeCapReached => (
            "Hôm nay mạng của bạn đã đạt giới hạn lượt thích cho bài viết này.",
            "Your network has reached today's limit of likes for this article.",
        ),
        Edit => ("Sửa", "Edit"),
        EditLabel => ("Sửa bình luận của bạn", "Edit your comment"),
        Save => ("Lưu", "Save"),
        Cancel => ("Huỷ", "Cancel"),
        Delete => ("Xoá", "Delete"),
        ConfirmDelete => ("Xoá bình luận này?", "Delete this comment?"),
        Deleted => ("Bình luận đã bị xoá.", "This comment was deleted."),
        Edited => ("đã sửa", "edited"),
        Report => ("Báo cáo vi phạm", "Report"),
        ConfirmReport => (
            "Báo cáo bình luận này với ban biên tập?",
            "Report this comment to the editors?",
        ),
        SendReport => ("Gửi báo cáo", "Send report"),
        Reported => ("Đã gửi báo cáo. Cảm ơn bạn.", "Report sent. Thank you."),
        ReportFailed => ("Chưa gửi được báo cáo: {}", "The report was not sent: {}"),
        Pinned => ("Được ghim", "Pinned"),
        EditPending => (
            "Đã lưu. Bình luận sẽ hiện lại sau khi được duyệt.",
            "Saved. The comment will show again once it is approved.",
        ),
        EditClosed => (
            "Đã hết thời gian được sửa hoặc xoá bình luận này.",
            "The time to edit or delete this comment is over.",
        ),
        EditClosedKept => (
            "Đã hết thời gian được sửa bình luận này. Nội dung bạn sửa vẫn còn trong ô để sao chép.",
            "The time to edit this comment is over. Your text stays in the box for you to copy.",
        ),
        EditFailed => ("Chưa lưu được: {}", "Not saved: {}"),
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
        BodyTooLong => (
            "Bình luận dài quá: {} ký tự, tối đa 2.000. Hãy rút ngắn rồi gửi lại.",
            "The comment is too long: {} characters, at most 2,000. Please shorten it and send it again.",
        ),
        EarlierVersionPosted => (
            "Bản trước của bình luận này đã được đăng. Bấm “Gửi bình luận” để đăng cả bản bạn vừa sửa.",
            "An earlier version of this comment was posted. Press “Post comment” to post the version you changed as well.",
        ),
        EmailInvalid => ("Địa chỉ email không hợp lệ.", "The email address is not valid."),
        DraftRestored => ("Đã khôi phục bản nháp bạn chưa gửi.", "Your unsent draft was restored."),
        DraftNotSaved => (
            "Trình duyệt không cho lưu bản nháp trên thiết bị này: đừng đóng trang trước khi gửi.",
            "This browser does not let the draft be saved on this device: keep the page open until it is sent.",
        ),
        JustNow => ("vừa xong", "just now"),
        MinuteAgo => ("1 phút trước", "1 minute ago"),
        MinutesAgo => ("{} phút trước", "{} minutes ago"),
        HourAgo => ("1 giờ trước", "1 hour ago"),
        HoursAgo => ("{} giờ trước", "{} hours ago"),
        DayAgo => ("1 ngày trước", "1 day ago"),
        DaysAgo => ("{} ngày trước", "{} days ago"),
    }
}
impl Text for Msg {
    fn entry(self) -> (&'static str, &'static str) {
        entry(self)
    }
}
