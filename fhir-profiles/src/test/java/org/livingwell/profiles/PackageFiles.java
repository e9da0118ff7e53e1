package org.livingwell.profiles;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The package's files as the tests see them: target/classes is a plain directory while Maven runs the tests. */
final class PackageFiles {

    private PackageFiles() {
    }

    /** The JSON files directly in a folder under livingwell/, e.g. "examples/invalid", sorted by name. */
    static List<Path> json(String folder) {
        try (Stream<Path> files = Files.list(folder(folder))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IBaseResource parse(FhirContext fhirContext, Path file) {
        try {
            return fhirContext.newJsonParser().parseResource(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folder(String folder) {
        URL url = PackageFiles.class.getClassLoader().getResource("livingwell/" + folder);
        if (url == null) {
            throw new IllegalStateException("No livingwell/" + folder + " on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
