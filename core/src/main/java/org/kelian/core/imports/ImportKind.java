package org.kelian.core.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a CSV file holds, and its columns: an English key (the API's field name) and the Chinese headers a county
 * office's spreadsheet is likely to use. Headers match without regard to case, spaces, '_' or '-'.
 */
public enum ImportKind {
  SCHOOLS("schools", List.of(
      col("name", true, "名称", "学校", "学校名称"),
      col("kind", true, "类型", "学校类型"),
      col("regionCode", true, "地区代码", "区划代码", "行政区划代码"))),
  CLASSROOMS("classrooms", withSchool(
      col("name", true, "教室", "名称", "教室名称"),
      col("kind", true, "类型", "教室类型"),
      col("capacity", true, "容量", "座位数"))),
  CLASSES("classes", withSchool(
      col("grade", true, "年级"),
      col("name", true, "班级", "班名", "班级名称"),
      col("size", true, "人数", "学生数", "班额"))),
  TEACHERS("teachers", withSchool(
      col("username", true, "用户名", "账号"),
      col("displayName", false, "姓名", "显示名"),
      col("subjects", false, "任教学科", "学科"),
      col("maxWeeklyPeriods", false, "每周课时上限", "周课时上限"))),
  BELL_SCHEDULES("bell-schedules", withSchool(
      col("period", true, "节次", "节"),
      col("start", true, "上课", "上课时间", "开始", "开始时间"),
      col("end", true, "下课", "下课时间", "结束", "结束时间"),
      col("weekdays", false, "星期", "适用星期"))),
  TIMETABLES("timetables", withSchool(
      col("term", true, "学期"),
      col("weekday", true, "星期", "周几"),
      col("period", true, "节次", "节"),
      col("class", false, "班级"),
      col("grade", false, "年级"),
      col("className", false, "班名", "班级名称"),
      col("subject", true, "学科", "科目", "课程"),
      col("teacher", false, "教师", "任课教师", "教师用户名"),
      col("classroom", false, "教室", "上课教室")));

  /** A column: its key, whether every file of the kind must have it, and the other headers that name it. */
  public record Column(String key, boolean required, List<String> aliases) {

    boolean named(String header) {
      String h = normal(header);
      return normal(key).equals(h) || aliases.stream().anyMatch(a -> normal(a).equals(h));
    }
  }

  private final String wire;
  private final List<Column> columns;

  ImportKind(String wire, List<Column> columns) {
    this.wire = wire;
    this.columns = columns;
  }

  public String wire() {
    return wire;
  }

  public List<Column> columns() {
    return columns;
  }

  public Optional<Column> column(String header) {
    return columns.stream().filter(c -> c.named(header)).findFirst();
  }

  public static Optional<ImportKind> parse(String s) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(s)).findFirst();
  }

  private static Column col(String key, boolean required, String... aliases) {
    return new Column(key, required, List.of(aliases));
  }

  /** The school by name, and, where two schools of the county share a name, by its region code or id as well. */
  private static List<Column> withSchool(Column... rest) {
    List<Column> out = new java.util.ArrayList<>();
    out.add(col("school", true, "学校", "学校名称"));
    out.add(col("regionCode", false, "地区代码", "区划代码"));
    out.add(col("schoolId", false, "学校编号", "学校ID"));
    out.addAll(List.of(rest));
    return List.copyOf(out);
  }

  private static String normal(String s) {
    return s.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
  }
}
