package io.vine.muxer.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a stream's receive window grows: half of it read within two round trips, floored. */
class YamuxWindowTuningTest {

    @Test
    void aTinyMeasuredRoundTripIsFlooredForWindowTuning() {
        long floor = YamuxStream.MIN_TUNING_RTT_NANOS;
        // Loopback measures microseconds; the event loops on both ends add more while data flows.
        assertThat(YamuxStream.readFastEnoughToGrow(floor, 20_000)).isTrue();
        assertThat(YamuxStream.readFastEnoughToGrow(2 * floor + 1, 20_000)).isFalse();
    }

    @Test
    void aLongRoundTripIsTakenAsMeasured() {
        long rtt = 10 * YamuxStream.MIN_TUNING_RTT_NANOS;
        assertThat(YamuxStream.readFastEnoughToGrow(2 * rtt - 1, rtt)).isTrue();
        assertThat(YamuxStream.readFastEnoughToGrow(2 * rtt, rtt)).isFalse();
    }

    @Test
    void nothingGrowsBeforeARoundTripIsMeasured() {
        assertThat(YamuxStream.readFastEnoughToGrow(1, 0)).isFalse();
    }
}
