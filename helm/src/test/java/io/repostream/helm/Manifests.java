package io.repostream.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/** The rendered chart: every document as its raw tree and as a typed fabric8 model. */
final class Manifests {
    /**
     * One rendered resource. {@code typed} is a {@link GenericKubernetesResource} for CRDs fabric8
     * does not model.
     */
    record Resource(JsonNode tree, HasMetadata typed) {
        String kind() {
            return typed.getKind();
        }

        String name() {
            return typed.getMetadata().getName();
        }
    }

    private final String text;
    private final List<Resource> resources;

    private Manifests(String text, List<Resource> resources) {
        this.text = text;
        this.resources = List.copyOf(resources);
    }

    static Manifests parse(String rendered) {
        List<Resource> resources = new ArrayList<>();
        for (JsonNode document : Chart.documents(rendered)) {
            HasMetadata typed = Serialization.unmarshal(document.toString());
            resources.add(new Resource(document, typed));
        }
        return new Manifests(rendered, resources);
    }

    /** The whole rendered text, as Helm printed it. */
    String text() {
        return text;
    }

    List<Resource> all() {
        return resources;
    }

    <T extends HasMetadata> List<T> of(Class<T> type) {
        return resources.stream()
                .map(Resource::typed)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String nameSuffix) {
        return of(type).stream()
                .filter(r -> r.getMetadata().getName().endsWith(nameSuffix))
                .findFirst()
                .orElseThrow(
                        () ->
                                new NoSuchElementException(
                                        "no " + type.getSimpleName() + " named *" + nameSuffix));
    }

    List<Resource> ofKind(String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    Resource oneOfKind(String kind) {
        List<Resource> found = ofKind(kind);
        if (found.size() != 1) {
            throw new NoSuchElementException("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Pod specs of every workload the chart runs directly (Deployments, CronJobs, Jobs). */
    List<PodSpec> podSpecs() {
        return Stream.of(
                        of(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
                        of(CronJob.class).stream()
                                .map(
                                        c ->
                                                c.getSpec()
                                                        .getJobTemplate()
                                                        .getSpec()
                                                        .getTemplate()
                                                        .getSpec()),
                        of(io.fabric8.kubernetes.api.model.batch.v1.Job.class).stream()
                                .map(j -> j.getSpec().getTemplate().getSpec()))
                .flatMap(s -> s)
                .toList();
    }

    List<Container> containers() {
        return podSpecs().stream()
                .flatMap(
                        p ->
                                Stream.concat(
                                        p.getContainers().stream(), p.getInitContainers().stream()))
                .toList();
    }
}
