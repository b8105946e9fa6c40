package org.kelian.core.resource;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kelian.core.WireNames;
import java.util.Set;

/** What a resource is; each type accepts the file kinds a teacher would expect for it. */
public enum ResourceType {
  VIDEO("课例/微课", Family.VIDEO, Family.AUDIO),
  COURSEWARE("课件", Family.SLIDES, Family.PDF, Family.DOCUMENT, Family.ARCHIVE, Family.IMAGE),
  LESSON_DESIGN("教学设计", Family.DOCUMENT, Family.PDF, Family.TEXT),
  TASK_SHEET("学习任务单", Family.DOCUMENT, Family.PDF, Family.TEXT, Family.IMAGE),
  EXERCISE("练习", Family.DOCUMENT, Family.PDF, Family.TEXT, Family.IMAGE, Family.SHEET),
  MATERIAL("素材", Family.IMAGE, Family.AUDIO, Family.VIDEO, Family.PDF, Family.DOCUMENT, Family.SLIDES, Family.SHEET,
      Family.TEXT, Family.ARCHIVE),
  TEXTBOOK("电子教材", Family.PDF),
  RECORDING("课堂实录", Family.VIDEO, Family.AUDIO);

  private final String label;
  private final List<Family> families;

  ResourceType(String label, Family... families) {
    this.label = label;
    this.families = List.of(families);
  }

  public String wire() {
    return WireNames.of(this);
  }

  public String label() {
    return label;
  }

  public static Optional<ResourceType> parse(String s) {
    return WireNames.parse(ResourceType.class, s);
  }

  /** Whether a file of this (sniffed) media type may be this resource's file. */
  public boolean accepts(String mediaType) {
    return families.stream().anyMatch(f -> f.matches(mediaType));
  }

  /** The accepted media types, for the 415 answer. */
  public List<String> acceptedTypes() {
    return families.stream().flatMap(f -> f.types.stream()).toList();
  }

  /** Families of media types; "image/*" style entries match a whole top-level type. */
  enum Family {
    VIDEO(Set.of("video/*")),
    AUDIO(Set.of("audio/*")),
    IMAGE(Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/svg+xml")),
    PDF(Set.of("application/pdf")),
    DOCUMENT(Set.of("application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text", "application/rtf", "application/vnd.ms-works", "application/x-tika-msoffice",
        "application/x-tika-ooxml")),
    SLIDES(Set.of("application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.presentation", "application/x-tika-msoffice", "application/x-tika-ooxml")),
    SHEET(Set.of("application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet", "application/x-tika-msoffice", "application/x-tika-ooxml")),
    TEXT(Set.of("text/plain", "text/markdown")),
    ARCHIVE(Set.of("application/zip"));

    final Set<String> types;

    Family(Set<String> types) {
      this.types = types;
    }

    boolean matches(String mediaType) {
      if (mediaType == null) {
        return false;
      }
      String base = mediaType.split(";")[0].strip().toLowerCase(Locale.ROOT);
      return types.stream().anyMatch(t -> t.endsWith("/*") ? base.startsWith(t.substring(0, t.length() - 1)) : t.equals(base));
    }
  }
}
