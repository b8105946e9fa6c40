package org.kelian.media.live;

/** A refused signaling message: its code and what a person reads, in Chinese and English. */
record SignalError(String code, String zh, String en) {
}
