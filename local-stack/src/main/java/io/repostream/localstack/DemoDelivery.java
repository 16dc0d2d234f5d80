package io.repostream.localstack;

/**
 * One webhook delivery the demo replays.
 *
 * @param event {@code X-GitHub-Event}
 * @param action the payload's action
 * @param deliveryId {@code X-GitHub-Delivery}
 * @param body the JSON body, exactly as posted
 * @param note what this delivery is and, for a derived one, what was changed
 */
public record DemoDelivery(
        String event, String action, String deliveryId, String body, String note) {}
