package org.parley.presence.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class PublishTimeTest {

    @Test
    void padsEveryFieldAndTruncatesToMilliseconds() {
        assertThat(CategoriesCodec.publishTime(LocalDateTime.of(987, 1, 2, 3, 4, 5, 6_999_999)))
                .isEqualTo("0987-01-02T03:04:05.006");
        assertThat(CategoriesCodec.publishTime(LocalDateTime.of(2026, 12, 31, 23, 59, 59, 999_000_000)))
                .isEqualTo("2026-12-31T23:59:59.999");
    }

    @Test
    void agreesWithTheJdkFormatterAcrossAYear() {
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
        LocalDateTime t = LocalDateTime.of(2026, 1, 1, 0, 0, 0, 0);
        for (int i = 0; i < 5000; i++, t = t.plusSeconds(6311).plusNanos(7_654_321)) {
            assertThat(CategoriesCodec.publishTime(t)).isEqualTo(t.format(jdk));
        }
    }
}
