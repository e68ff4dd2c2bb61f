package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What the progress bar writes on a terminal and elsewhere. */
class ProgressBarTest {

    @Test
    void drawnBarEndsFullWithANewline() {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(err), "load", 200, ProgressBar.Unit.KEYS, true)) {
            bar.update(50);
            bar.update(200);
        }
        String text = err.toString();
        assertThat(text).endsWith("\rload [==============================] 100%  200 of 200 keys"
                + System.lineSeparator());
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void aStoppedBarSaysSoInBothForms() {
        StringWriter drawn = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(drawn), "load", 200, ProgressBar.Unit.KEYS, true)) {
            bar.update(100);
            bar.stopped();
        }
        assertThat(drawn.toString()).endsWith("\rload [===============>              ]  50%  100 of 200 keys, stopped"
                + System.lineSeparator());
        StringWriter plain = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(plain), "load", 200, ProgressBar.Unit.KEYS, false)) {
            bar.update(100);
            bar.stopped();
        }
        assertThat(plain.toString()).isEqualTo("load: 100 of 200 keys, stopped" + System.lineSeparator());
    }

    @Test
    void plainLinesWhenNotATerminalAndUnknownTotals() {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(err), "snapshot", -1, ProgressBar.Unit.BYTES, false)) {
            bar.update(1_500_000);
        }
        assertThat(err.toString()).isEqualTo("snapshot: 1.5 MB, done\n").doesNotContain("\r");
    }

    @Test
    void closeIsIdempotentAndLateUpdatesAreIgnored() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "x", 10, ProgressBar.Unit.KEYS, false);
        bar.close();
        bar.update(5);
        bar.close();
        assertThat(err.toString()).isEqualTo("x: 0 of 10 keys, done\n");
    }

    @Test
    void bytesForPeople() {
        assertThat(ProgressBar.bytes(999)).isEqualTo("999 B");
        assertThat(ProgressBar.bytes(24_576)).isEqualTo("24.6 kB");
        assertThat(ProgressBar.bytes(3_400_000_000L)).isEqualTo("3.4 GB");
    }
}
