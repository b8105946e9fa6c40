package org.kelian.core.search;

/** One completion for the search box: the text to put in the box, and what kind of thing it names. */
public record Suggestion(String text, String kind) {
}
