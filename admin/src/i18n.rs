//! Every string the console shows, in Vietnamese (default) and English.

pub use bantin_protocol::locale::Lang;

macro_rules! messages {
    ($($name:ident => ($vi:expr, $en:expr),)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name,)* }

        const fn entry(msg: Msg) -> (&'static str, &'static str) {
            match msg { $(Msg::$name => ($vi, $en),)* }
        }
    };
}

messages! {
    Title => ("Bantin · Kiểm duyệt", "Bantin · Moderation"),
    Console => ("Kiểm duyệt bình luận", "Comment moderation"),
    OtherLang => ("English", "Tiếng Việt"),
    Loading => ("Đang tải…", "Loading…"),
    Retry => ("Thử lại", "Try again"),
    // sign-in
    SignInTitle => ("Đăng nhập", "Sign in"),
    SignInName => ("Tên đăng nhập", "Account name"),
    SignInPassword => ("Mật khẩu", "Password"),
    SignInSubmit => ("Đăng nhập", "Sign in"),
    SigningIn => ("Đang đăng nhập…", "Signing in…"),
    SignInWrong => ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong account name or password."),
    SignInRequired => ("Vui lòng nhập tên đăng nhập và mật khẩu.", "Please enter the account name and password."),
    TooManyAttempts => ("Đăng nhập sai quá nhiều lần, vui lòng thử lại sau {} giây.", "Too many attempts, try again in {} s."),
    TooManyRequests => ("Quá nhiều yêu cầu, vui lòng thử lại sau {} giây.", "Too many requests, try again in {} s."),
    SessionEnded => ("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.", "Your session has ended. Please sign in again."),
    SignedOut => ("Bạn đã đăng xuất.", "You have signed out."),
    SignedInAs => ("Đang đăng nhập:", "Signed in as"),
    SignOut => ("Đăng xuất", "Sign out"),
    RoleAdmin => ("Quản trị", "Admin"),
    RoleModerator => ("Kiểm duyệt viên", "Moderator"),
    Sections => ("Mục", "Sections"),
    // errors
    ErrNetwork => ("Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng rồi thử lại.", "Could not reach the server. Check your connection and try again."),
    ErrTimeout => ("Máy chủ phản hồi quá lâu. Vui lòng thử lại.", "The server took too long to answer. Please try again."),
    ErrMalformed => ("Máy chủ trả về dữ liệu không đọc được.", "The server's answer could not be read."),
    ErrForbidden => ("Tài khoản của bạn không có quyền làm việc này.", "Your account may not do this."),
    ErrNotFound => ("Không tìm thấy (có thể đã bị xoá).", "Not found (it may have been deleted)."),
    ErrConflict => ("Việc này xung đột với dữ liệu hiện có.", "This conflicts with what is already there."),
    ErrInvalid => ("Dữ liệu không hợp lệ: {}", "Not valid: {}"),
    ErrHttp => ("Máy chủ đang gặp sự cố (mã lỗi {}). Vui lòng thử lại sau.", "The server had a problem (status {}). Please try again later."),
    ErrNothingToBan => ("Bình luận này không lưu mã bạn đọc hay địa chỉ mạng nên không cấm được.", "This comment's author left no credential or network to ban."),
    ErrNotPinnable => ("Chỉ ghim được bình luận đã đăng, không phải trả lời.", "Only a published top-level comment can be pinned."),
    ErrNotPublished => ("Chỉ trả lời được bình luận đã đăng. Hãy duyệt trước.", "Only a published comment can be answered. Approve it first."),
    ErrNameTaken => ("Tên đăng nhập này đã có người dùng.", "This account name is taken."),
    ErrCsrf => ("Phiên làm việc không còn hợp lệ. Vui lòng tải lại trang.", "This page's session token is no longer valid. Please reload the page."),
    Details => ("Chi tiết", "Details"),
    // sections
    TabQueue => ("Hàng chờ", "Queue"),
    TabReported => ("Bị báo cáo", "Reported"),
    TabBans => ("Lệnh cấm", "Bans"),
    TabKeywords => ("Từ khoá", "Keywords"),
    TabAudit => ("Nhật ký", "Audit log"),
    TabDeliveries => ("Thông báo gửi đi", "Deliveries"),
    TabData => ("Dữ liệu", "Data"),
    TabAccounts => ("Tài khoản", "Accounts"),
    // queue
    Filters => ("Bộ lọc", "Filters"),
    FilterStatus => ("Trạng thái", "Status"),
    StatusWaiting => ("Đang chờ", "Waiting"),
    StatusPublished => ("Đã đăng", "Published"),
    StatusRejected => ("Đã từ chối", "Rejected"),
    StatusAll => ("Tất cả", "All"),
    FilterArticle => ("Mã bài viết", "Article id"),
    FilterReported => ("Bị báo cáo", "Reported"),
    FilterLinks => ("Có liên kết", "Contains a link"),
    FilterPhones => ("Có số điện thoại", "Contains a phone number"),
    Search => ("Tìm trong tác giả và nội dung", "Search authors and text"),
    Apply => ("Lọc", "Apply"),
    Total => ("Tổng số: {}", "Total: {}"),
    OnlyComment => ("Chỉ hiện bình luận #{}, theo liên kết trong thông báo.", "Only comment #{}, from the alert's link."),
    WholeQueue => ("Xem cả hàng chờ", "Show the whole queue"),
    Empty => ("Không có bình luận nào.", "No comments."),
    More => ("Xem thêm", "Show more"),
    SelectAll => ("Chọn tất cả trên trang", "Select all on this page"),
    Select => ("Chọn bình luận {}", "Select comment {}"),
    Selected => ("Đã chọn {}", "{} selected"),
    ClearSelection => ("Bỏ chọn", "Clear selection"),
    BulkActions => ("Thao tác với các bình luận đã chọn", "Actions on the selected comments"),
    Approve => ("Duyệt", "Approve"),
    Reject => ("Từ chối", "Reject"),
    Delete => ("Xoá", "Delete"),
    DeleteConfirm => ("Xoá hẳn bình luận này và các trả lời của nó?", "Delete this comment and its replies for good?"),
    DeleteManyConfirm => ("Xoá hẳn {} bình luận đã chọn và các trả lời của chúng?", "Delete the {} selected comments and their replies for good?"),
    DeleteYes => ("Xoá hẳn", "Delete for good"),
    Cancel => ("Huỷ", "Cancel"),
    Done => ("Đã xử lý {} bình luận.", "{} comments done."),
    Approved => ("Đã duyệt.", "Approved."),
    Rejected => ("Đã từ chối.", "Rejected."),
    Deleted => ("Đã xoá.", "Deleted."),
    Missing => ("{} bình luận không còn tồn tại.", "{} comments no longer exist."),
    Article => ("Bài viết", "Article"),
    Author => ("Tác giả", "Author"),
    Reports => ("{} lượt báo cáo", "{} reports"),
    ReportOne => ("1 lượt báo cáo", "1 report"),
    FirstReport => ("Báo cáo đầu tiên: {}", "First report: {}"),
    Overdue => ("Quá 24 giờ", "Over 24 hours"),
    HoldQueue => ("Chờ duyệt", "Queue"),
    HoldLink => ("Có liên kết", "Link"),
    HoldPhone => ("Có số điện thoại", "Phone"),
    HoldKeyword => ("Từ khoá", "Keyword"),
    HoldReports => ("Bị báo cáo", "Reports"),
    Official => ("Trả lời chính thức", "Official reply"),
    PinnedChip => ("Đã ghim", "Pinned"),
    IsReply => ("Trả lời bình luận #{}", "Reply to comment #{}"),
    Pin => ("Ghim", "Pin"),
    Unpin => ("Bỏ ghim", "Unpin"),
    PinnedDone => ("Đã ghim bình luận.", "The comment is pinned."),
    UnpinnedDone => ("Đã bỏ ghim.", "The comment is no longer pinned."),
    // reply
    Reply => ("Trả lời", "Reply"),
    ReplyLabel => ("Trả lời chính thức", "Official reply"),
    ReplyBadge => ("Đăng ngay, kèm nhãn “{}”.", "Published at once, with the badge “{}”."),
    ReplySend => ("Đăng trả lời", "Post the reply"),
    ReplyEmpty => ("Vui lòng nhập nội dung trả lời.", "Please write the reply."),
    ReplyDone => ("Đã đăng trả lời chính thức.", "The official reply is published."),
    Sending => ("Đang gửi…", "Sending…"),
    // bans
    Ban => ("Cấm", "Ban"),
    BanTitle => ("Cấm tác giả bình luận #{}", "Ban the author of comment #{}"),
    BanKindLabel => ("Cấm theo", "Ban by"),
    BanVisitor => ("Mã bạn đọc", "Reader credential"),
    BanNetwork => ("Mạng (địa chỉ IP)", "Network (IP address)"),
    BanDuration => ("Thời hạn", "Duration"),
    Day1 => ("1 ngày", "1 day"),
    Day7 => ("7 ngày", "7 days"),
    Day30 => ("30 ngày", "30 days"),
    Permanent => ("Vĩnh viễn", "Permanent"),
    BanReason => ("Lý do", "Reason"),
    BanSubmit => ("Cấm", "Ban"),
    BanDone => ("Đã cấm.", "Banned."),
    BansEmpty => ("Không có lệnh cấm nào đang hiệu lực.", "No bans in force."),
    BanBy => ("Người cấm: {}", "By {}"),
    BanSince => ("Từ {}", "Since {}"),
    BanUntil => ("Đến {}", "Until {}"),
    BanForever => ("Đến khi được gỡ", "Until lifted"),
    Lift => ("Gỡ lệnh cấm", "Lift the ban"),
    Lifted => ("Đã gỡ lệnh cấm.", "The ban is lifted."),
    // keywords
    KeywordsHold => ("Giữ lại để duyệt (mỗi dòng một từ)", "Hold for review (one per line)"),
    KeywordsRefuse => ("Từ chối ngay (mỗi dòng một từ)", "Refuse at once (one per line)"),
    KeywordsHelp => ("So khớp theo từ, không phân biệt hoa thường, có dấu hay không dấu.", "Matched as words, in any case, with or without diacritics."),
    Save => ("Lưu", "Save"),
    Saved => ("Đã lưu.", "Saved."),
    KeywordsTooMany => ("Tối đa {} từ mỗi danh sách.", "At most {} entries per list."),
    KeywordTooLong => ("Mỗi từ tối đa {} ký tự.", "At most {} characters per entry."),
    // audit / deliveries
    AuditEmpty => ("Chưa có hoạt động nào.", "Nothing yet."),
    DeliveriesEmpty => ("Chưa có thông báo nào được gửi.", "No deliveries yet."),
    Attempts => ("{} lần gửi", "{} attempts"),
    DeliveryPending => ("Đang chờ gửi lại", "Will be retried"),
    DeliveryDelivered => ("Đã gửi", "Delivered"),
    DeliveryFailed => ("Thất bại", "Failed"),
    // data
    Export => ("Xuất dữ liệu", "Export"),
    ExportComments => ("Bình luận", "Comments"),
    ExportRatings => ("Đánh giá", "Ratings"),
    ExportVisits => ("Lượt truy cập", "Visits"),
    Import => ("Nhập dữ liệu", "Import"),
    ImportFile => ("Tệp JSON đã xuất", "An exported JSON file"),
    ImportSubmit => ("Nhập", "Import"),
    ImportDone => ("Đã nhập dữ liệu.", "Imported."),
    ImportNoFile => ("Vui lòng chọn tệp.", "Please choose a file."),
    Privacy => ("Dữ liệu của một bạn đọc", "One reader's data"),
    PrivacyEmail => ("Email", "E-mail"),
    PrivacyVisitor => ("hoặc mã bạn đọc", "or reader credential"),
    PrivacyExport => ("Tải dữ liệu", "Download the data"),
    PrivacyDelete => ("Xoá dữ liệu", "Delete the data"),
    PrivacyConfirm => ("Xoá hẳn mọi dữ liệu của bạn đọc này?", "Delete all of this reader's data for good?"),
    PrivacyNeed => ("Vui lòng nhập email hoặc mã bạn đọc.", "Please enter an e-mail or a credential."),
    PrivacyDone => ("Đã xoá dữ liệu của bạn đọc.", "The reader's data is deleted."),
    // accounts
    AccountsAdd => ("Thêm tài khoản", "Add an account"),
    AccountRole => ("Vai trò", "Role"),
    AccountNewPassword => ("Mật khẩu mới", "New password"),
    AccountSetPassword => ("Đổi mật khẩu", "Change password"),
    AccountRemove => ("Xoá tài khoản", "Remove the account"),
    AccountRemoveConfirm => ("Xoá tài khoản {}?", "Remove the account {}?"),
    AccountCreated => ("Tạo lúc {}", "Created {}"),
    AccountAdded => ("Đã thêm tài khoản.", "The account is added."),
    AccountRemoved => ("Đã xoá tài khoản.", "The account is removed."),
    PasswordChanged => ("Đã đổi mật khẩu.", "The password is changed."),
    NameInvalid => ("Tên chỉ gồm chữ thường không dấu, chữ số và . _ - (tối đa {} ký tự).", "Names are lowercase a-z, 0-9 and . _ - (at most {} characters)."),
    PasswordShort => ("Mật khẩu cần ít nhất {} ký tự.", "Passwords need at least {} characters."),
    // time
    JustNow => ("vừa xong", "just now"),
    MinutesAgo => ("{} phút trước", "{} minutes ago"),
    MinuteAgo => ("1 phút trước", "1 minute ago"),
    HoursAgo => ("{} giờ trước", "{} hours ago"),
    HourAgo => ("1 giờ trước", "1 hour ago"),
    DaysAgo => ("{} ngày trước", "{} days ago"),
    DayAgo => ("1 ngày trước", "1 day ago"),
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
    fn placeholders_are_filled() {
        assert_eq!(t1(Lang::Vi, Msg::Total, "2.504"), "Tổng số: 2.504");
        assert_eq!(t1(Lang::En, Msg::HoursAgo, "3"), "3 hours ago");
    }
}
