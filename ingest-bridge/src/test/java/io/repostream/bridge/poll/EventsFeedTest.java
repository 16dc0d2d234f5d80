package io.repostream.bridge.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventsFeedTest {

    @Test
    void findsTheNextPageInGitHubsLinkHeader() {
        String link =
                "<https://api.github.com/repositories/1/events?per_page=100&page=2>; rel=\"next\","
                        + " <https://api.github.com/repositories/1/events?per_page=100&page=3>;"
                        + " rel=\"last\"";
        assertThat(EventsFeed.nextLink(link))
                .isEqualTo("https://api.github.com/repositories/1/events?per_page=100&page=2");
        assertThat(
                        EventsFeed.nextLink(
                                "<https://api.github.com/x?page=1>; rel=\"prev\","
                                        + " <https://api.github.com/x?page=1>; rel=\"first\""))
                .isNull();
    }

    @Test
    void neverSendsTheTokenOutsideTheApi() {
        EventsFeed feed =
                new EventsFeed(
                        "https://api.github.com",
                        GitHubAuth.token("ghp_secret_token"),
                        Duration.ofSeconds(1));

        assertThatThrownBy(() -> feed.fetchNext("o/r", "https://evil.example/steal?page=2"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outside the API")
                .hasMessageNotContaining("ghp_secret_token");
    }
}
