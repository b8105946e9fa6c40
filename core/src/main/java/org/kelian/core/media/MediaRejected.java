package org.kelian.core.media;

import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;

/**
 * A source that will never transcode, whatever is retried: not media, damaged, too large. Its message is what
 * the teacher who uploaded it reads. Anything else that fails a job is treated as transient and retried.
 */
public final class MediaRejected extends KelianException {

  public MediaRejected(String code, String messageZh, String messageEn) {
    super(ErrorKind.INVALID, code, messageZh, messageEn);
  }

  public static MediaRejected notMedia() {
    return new MediaRejected("not_media", "这不是可以播放的音视频文件，请检查后重新上传",
        "This is not a playable audio or video file; check it and upload it again");
  }

  public static MediaRejected damaged() {
    return new MediaRejected("damaged_media", "视频文件已损坏（部分画面或声音无法解码），请上传完整的原始文件",
        "The file is damaged (some pictures or sound cannot be decoded); upload the complete original");
  }
}
