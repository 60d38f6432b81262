package org.medsynth.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.junit.jupiter.api.Test;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.Generator;
import org.medsynth.core.api.ParameterSpec;
import org.medsynth.core.registry.Contributions;

class RegistryTest {
    private final Contributions registry = Contributions.get();

    @Test
    void seesContributionsFromSeparateBundles() {
        Contribution sheppLogan = registry.require(Kind.GENERATOR, "phantom.shepp-logan");
        assertEquals("org.medsynth.phantoms", sheppLogan.bundle());
        assertEquals("phantoms", sheppLogan.specialty());
        assertEquals("OT", sheppLogan.modality());
        assertEquals("org.medsynth.eval", registry.require(Kind.EVALUATOR, "psnr").bundle());
        assertEquals("paired", registry.require(Kind.EVALUATOR, "ssim").task());
        assertEquals("org.medsynth.io.basic", registry.require(Kind.FORMAT, "format.metaimage").bundle());
        assertEquals("org.medsynth.core.tests", registry.require(Kind.GENERATOR, "test.steps").bundle());
    }

    @Test
    void readsDeclaredParametersWithoutLoadingClasses() {
        Contribution c = registry.require(Kind.GENERATOR, "phantom.shepp-logan");
        ParameterSpec size = c.parameters().stream().filter(p -> p.name().equals("size")).findFirst().orElseThrow();
        assertEquals(ParameterSpec.Type.INT, size.type());
        assertEquals(16.0, size.min());
        assertEquals(1024.0, size.max());
        assertEquals("256", size.defaultValue());
        assertEquals(List.of("dimensions", "size", "spacing", "noise-sigma", "supersampling"),
                c.parameters().stream().map(ParameterSpec::name).toList());
        assertFalse(c.version().isEmpty(), "version defaults to the bundle version");
    }

    @Test
    void skipsMalformedDeclarationsAndSaysWhy() {
        assertTrue(registry.find(Kind.GENERATOR, "test.malformed").isEmpty());
        assertTrue(registry.find(Kind.GENERATOR, "test.bad-parameter").isEmpty());
        List<String> problems = registry.problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("test.malformed") && p.contains("'name'")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("test.bad-parameter") && p.contains("above the maximum")),
                problems::toString);
    }

    @Test
    void unknownIdErrorListsWhatIsKnown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.require(Kind.GENERATOR, "no.such"));
        assertTrue(e.getMessage().contains("no generator 'no.such'"), e.getMessage());
        assertTrue(e.getMessage().contains("phantom.torso"), e.getMessage());
    }

    @Test
    void throwingContributionsAreIsolated() throws CoreException {
        CoreException constructor = assertThrows(CoreException.class,
                () -> registry.create(registry.require(Kind.GENERATOR, "test.bad-constructor"), Generator.class));
        assertTrue(constructor.getStatus().getMessage().contains("test.bad-constructor"));
        assertTrue(constructor.getStatus().getMessage().contains("org.medsynth.core.tests"));
        assertTrue(constructor.getStatus().getMessage().contains("simulated failure while loading weights"),
                constructor.getStatus().getMessage());
        CoreException missing = assertThrows(CoreException.class,
                () -> registry.create(registry.require(Kind.GENERATOR, "test.missing-class"), Generator.class));
        assertTrue(missing.getStatus().getMessage().contains("test.missing-class"));
        // the registry and the other contributions are unaffected
        assertNotNull(registry.create(registry.require(Kind.GENERATOR, "phantom.shepp-logan"), Generator.class));
        assertTrue(registry.list(Kind.GENERATOR).size() >= 5);
    }
}
