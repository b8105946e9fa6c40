package org.kelian.core.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What search knows of one published resource. {@code catalogPaths} holds, for each catalog node the resource is
 * attached to, the titles from the stage down to that node (e.g. [小学, 数学, 人教版, 三年级, 上册, 8 分数的初步认识,
 * 分数的简单应用]); the facets are read off those paths. {@code catalogNodeIds} holds the ids of every node on those
 * paths (the attached nodes and all their ancestors), so that "everything under this unit" is one term filter.
 * {@code visibility} holds the keys of who may find it (see {@link Visibility}).
 */
public record SearchDocument(
    UUID id,
    String title,
    String description,
    List<String> tags,
    String type,
    String scope,
    List<String> visibility,
    List<List<String>> catalogPaths,
    List<UUID> catalogNodeIds,
    List<String> stages,
    List<String> subjects,
    List<String> editions,
    List<String> grades,
    boolean featured,
    long viewCount,
    Instant publishedAt,
    /** Caption text of a video, cue by cue: a lesson is found by words spoken in it. */
    List<String> captions) {
}
