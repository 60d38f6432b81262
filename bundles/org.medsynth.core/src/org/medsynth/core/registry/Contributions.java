package org.medsynth.core.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IExtensionPoint;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.IRegistryEventListener;
import org.eclipse.core.runtime.ISafeRunnable;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.SafeRunner;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.ParameterSpec;
import org.osgi.framework.Bundle;

/**
 * The four MedSynth extension points, read lazily: declarations are parsed on first use and cached until the
 * extension registry changes (a p2 install or uninstall); classes are loaded only by {@link #create}, and every call
 * into contributed code goes through {@link #call}, inside {@link SafeRunner}.
 */
public final class Contributions {
    public static final String PLUGIN_ID = "org.medsynth.core";

    private static volatile Contributions instance;

    private final IExtensionRegistry registry;
    private final Map<Kind, List<Contribution>> cache = new LinkedHashMap<>();
    private final Map<Contribution, IConfigurationElement> elements = new java.util.HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Contributions(IExtensionRegistry registry) {
        this.registry = registry;
        // a listener object per extension point: the registry keeps only the first filter of a listener added twice,
        // so one shared listener would hear about generators only (FORMAT and ADAPTER share one point)
        for (String point : java.util.Arrays.stream(Kind.values()).map(Kind::extensionPointId).distinct().toList()) {
            registry.addListener(new IRegistryEventListener() {
                @Override
                public void added(IExtension[] extensions) {
                    clear();
                }

                @Override
                public void removed(IExtension[] extensions) {
                    clear();
                }

                @Override
                public void added(IExtensionPoint[] points) {
                    clear();
                }

                @Override
                public void removed(IExtensionPoint[] points) {
                    clear();
                }
            }, point);
        }
    }

    /** The registry of the running platform. */
    public static Contributions get() {
        Contributions c = instance;
        if (c == null) {
            synchronized (Contributions.class) {
                c = instance;
                if (c == null) {
                    IExtensionRegistry r = Platform.getExtensionRegistry();
                    if (r == null) {
                        throw new IllegalStateException("no extension registry: MedSynth must run inside an OSGi framework");
                    }
                    c = instance = new Contributions(r);
                }
            }
        }
        return c;
    }

    private synchronized void clear() {
        cache.clear();
        elements.clear();
        problems.clear();
    }

    /** All well-formed contributions of one kind, sorted by id. */
    public synchronized List<Contribution> list(Kind kind) {
        return cache.computeIfAbsent(kind, this::read);
    }

    public List<Contribution> all() {
        List<Contribution> all = new ArrayList<>();
        for (Kind k : Kind.values()) {
            all.addAll(list(k));
        }
        return all;
    }

    public Optional<Contribution> find(Kind kind, String id) {
        return list(kind).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Finds a contribution by id in any kind. */
    public Optional<Contribution> find(String id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The contribution, or an exception whose message lists the known ids. */
    public Contribution require(Kind kind, String id) {
        return find(kind, id).orElseThrow(() -> new IllegalArgumentException("no " + kind.element() + " '" + id
                + "'; known: " + list(kind).stream().map(Contribution::id).collect(Collectors.joining(", "))));
    }

    /** Declarations that were skipped because they are malformed, one readable line each. */
    public synchronized List<String> problems() {
        for (Kind k : Kind.values()) {
            list(k);
        }
        return List.copyOf(problems);
    }

    /**
     * Instantiates the contribution's class inside SafeRunner.
     *
     * @throws CoreException naming the contribution and its bundle if the class is missing, has the wrong type or its
     *                       constructor throws
     */
    public <T> T create(Contribution contribution, Class<T> type) throws CoreException {
        IConfigurationElement element;
        synchronized (this) {
            list(contribution.kind());
            element = elements.get(contribution);
        }
        if (element == null || !element.isValid()) {
            throw new CoreException(Status.error(describe(contribution) + " is no longer installed"));
        }
        Object created = call(contribution, "create", () -> element.createExecutableExtension("class"));
        if (!type.isInstance(created)) {
            throw new CoreException(Status.error(describe(contribution) + ": class " + created.getClass().getName()
                    + " does not implement " + type.getName()));
        }
        return type.cast(created);
    }

    /**
     * Runs contributed code inside SafeRunner. Cancellation passes through as {@link OperationCanceledException};
     * anything else the contribution throws becomes a {@link CoreException} naming it. Only unexpected exceptions
     * (bugs) are logged by SafeRunner; a CoreException is the contribution's own verdict and is not.
     */
    public static <V> V call(Contribution contribution, String what, Callable<V> code) throws CoreException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        SafeRunner.run(new ISafeRunnable() {
            @Override
            public void run() throws Exception {
                try {
                    result[0] = code.call();
                } catch (CoreException | OperationCanceledException verdict) {
                    // the contribution's own, described failure (bad input, missing weights) or a cancel: not a bug,
                    // so it is reported to the user once, without SafeRunner logging a stack trace
                    failure[0] = verdict;
                }
            }

            @Override
            public void handleException(Throwable t) {
                failure[0] = t;
            }
        });
        Throwable t = failure[0];
        if (t == null) {
            @SuppressWarnings("unchecked")
            V v = (V) result[0];
            return v;
        }
        if (t instanceof OperationCanceledException oce) {
            throw oce;
        }
        String message = t instanceof CoreException ce ? ce.getStatus().getMessage() : t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        Throwable root = rootCause(t);
        if (root != t && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        throw new CoreException(new Status(IStatus.ERROR, PLUGIN_ID,
                describe(contribution) + " failed in " + what + ": " + message, t));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (true) {
            Throwable next = root instanceof CoreException ce && ce.getStatus().getException() != null
                    ? ce.getStatus().getException() : root.getCause();
            if (next == null || next == root) {
                return root;
            }
            root = next;
        }
    }

    public static String describe(Contribution c) {
        return c.kind().element() + " '" + c.id() + "' (bundle " + c.bundle() + ")";
    }

    private List<Contribution> read(Kind kind) {
        List<Contribution> result = new ArrayList<>();
        IExtensionPoint point = registry.getExtensionPoint(kind.extensionPointId());
        if (point == null) {
            return List.of();
        }
        for (IConfigurationElement e : point.getConfigurationElements()) {
            if (!e.getName().equals(kind.element())) {
                continue;
            }
            String bundle = e.getContributor().getName();
            try {
                Contribution c = parse(kind, e, bundle);
                if (result.stream().anyMatch(o -> o.id().equals(c.id()))) {
                    throw new IllegalArgumentException("duplicate id '" + c.id() + "'");
                }
                result.add(c);
                elements.put(c, e);
            } catch (RuntimeException ex) {
                String line = kind.element() + " declared by bundle " + bundle + " skipped: " + ex.getMessage();
                problems.add(line);
                Platform.getLog(Contributions.class).warn(line);
            }
        }
        result.sort(Comparator.comparing(Contribution::id));
        return List.copyOf(result);
    }

    private static Contribution parse(Kind kind, IConfigurationElement e, String bundle) {
        String id = required(e, "id");
        required(e, "name");
        required(e, "class");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : e.getAttributeNames()) {
            if (!List.of("id", "name", "class", "description", "version").contains(name)) {
                attributes.put(name, e.getAttribute(name));
            }
        }
        List<ParameterSpec> parameters = new ArrayList<>();
        for (IConfigurationElement p : e.getChildren("parameter")) {
            try {
                parameters.add(new ParameterSpec(required(p, "name"), ParameterSpec.Type.parse(required(p, "type")),
                        p.getAttribute("default"), number(p, "min"), number(p, "max"), choices(p.getAttribute("choices")),
                        p.getAttribute("unit"), p.getAttribute("help")));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("'" + id + "' parameter: " + ex.getMessage(), ex);
            }
        }
        String version = e.getAttribute("version");
        if (version == null) {
            Bundle b = Platform.getBundle(bundle);
            version = b == null ? "" : b.getVersion().toString();
        }
        return new Contribution(kind, id, e.getAttribute("name"), e.getAttribute("description"), version, bundle,
                attributes, parameters);
    }

    private static String required(IConfigurationElement e, String attribute) {
        String v = e.getAttribute(attribute);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing attribute '" + attribute + "'"
                    + (e.getAttribute("id") == null ? "" : " in '" + e.getAttribute("id") + "'"));
        }
        return v.trim();
    }

    private static Double number(IConfigurationElement e, String attribute) {
        String v = e.getAttribute(attribute);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v.trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(attribute + " '" + v + "' is not a number", ex);
        }
    }

    private static List<String> choices(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
