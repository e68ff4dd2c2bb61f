package io.etcdkit.testing.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Judges a named module's API boundary: what its exported packages show to the modules that require it.
 *
 * <p>It reads the module's descriptor and its classes (from the module's own location, so test classes patched
 * into the module are not judged) and reports two kinds of problem:
 * <ul>
 *   <li>{@link Report#leaks()} — a public or protected member (or the supertype, record component or permitted
 *       subtype) of a public type in an exported package names a type that a client of the module cannot use:
 *       a type of a package the module does not export, or a type of another module that clients do not read
 *       through the descriptor's {@code requires transitive} closure (say a gRPC, protobuf or Jackson type in
 *       the API of a module that only uses it inside). Types of {@code java.*} modules are always allowed;</li>
 *   <li>{@link Report#exportedForbidden()} — a package the caller names as internal is exported to everyone.</li>
 * </ul>
 *
 * <p>Use it from a test that runs on the module path, where {@code SomeApiType.class.getModule()} is named. It
 * depends on nothing but the JDK.
 */
public final class ModuleApiChecker {

    private ModuleApiChecker() {
    }

    /**
     * Checks the API of {@code module}.
     *
     * @param module a named module of the boot layer or of another layer
     * @param internalPackages packages that must not be exported to everyone (for example the module's
     *                         {@code internal} packages); a name ending in {@code .*} also covers sub-packages
     * @return the report
     * @throws IllegalArgumentException if the module is unnamed (the test did not run on the module path) or
     *                                  not in a module layer
     * @throws UncheckedIOException if the module's classes cannot be listed
     */
    public static Report check(Module module, String... internalPackages) {
        Objects.requireNonNull(module, "module");
        if (!module.isNamed()) {
            throw new IllegalArgumentException("the module is unnamed: run this check on the module path");
        }
        if (module.getLayer() == null) {
            throw new IllegalArgumentException("module " + module.getName() + " is not in a module layer");
        }
        ModuleDescriptor descriptor = module.getDescriptor();
        FindingsCollector leaks = new FindingsCollector("types in the API that clients cannot use");
        FindingsCollector forbidden = new FindingsCollector("internal packages exported");
        for (String internal : internalPackages) {
            for (String pkg : module.getPackages()) {
                if (covers(internal, pkg) && module.isExported(pkg)) {
                    forbidden.add(0, pkg, pkg + " is exported");
                }
            }
        }
        Set<String> transitive = new HashSet<>();
        addTransitive(module.getLayer(), descriptor, transitive);
        List<String> classes = classNames(module);
        for (String name : classes) {
            Class<?> type;
            try {
                type = Class.forName(name, false, module.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                leaks.add(1, name, name + " cannot be loaded: " + e);
                continue;
            }
            if (!isApi(type, module)) {
                continue;
            }
            new TypeWalk(module, transitive, leaks, type.getName()).api(type);
        }
        return new Report(module.getName(), classes.size(), leaks.build(), forbidden.build());
    }

    /** The modules a client of {@code descriptor}'s module reads through it: its {@code requires transitive} closure. */
    private static void addTransitive(ModuleLayer layer, ModuleDescriptor descriptor, Set<String> names) {
        for (ModuleDescriptor.Requires requires : descriptor.requires()) {
            if (requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
                    && names.add(requires.name())) {
                layer.findModule(requires.name())
                        .map(Module::getDescriptor)
                        .ifPresent(next -> addTransitive(layer, next, names));
            }
        }
    }

    private static boolean covers(String internal, String pkg) {
        if (internal.endsWith(".*")) {
            String base = internal.substring(0, internal.length() - 2);
            return pkg.equals(base) || pkg.startsWith(base + ".");
        }
        return pkg.equals(internal);
    }

    private static boolean isApi(Class<?> type, Module module) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return module.isExported(type.getPackageName());
    }

    private static List<String> classNames(Module module) {
        ResolvedModule resolved = module.getLayer().configuration().findModule(module.getName()).orElseThrow();
        try (ModuleReader reader = resolved.reference().open(); Stream<String> names = reader.list()) {
            return names.filter(n -> n.endsWith(".class") && !n.equals("module-info.class")
                            && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the classes of module " + module.getName(), e);
        }
    }

    /** Walks the signatures of one API type and records every type its clients cannot use. */
    private static final class TypeWalk {
        private final Module module;
        private final Set<String> transitive;
        private final FindingsCollector leaks;
        private final String owner;

        TypeWalk(Module module, Set<String> transitive, FindingsCollector leaks, String owner) {
            this.module = module;
            this.transitive = transitive;
            this.leaks = leaks;
            this.owner = owner;
        }

        void api(Class<?> type) {
            check(type.getGenericSuperclass(), "superclass");
            for (Type t : type.getGenericInterfaces()) {
                check(t, "interface");
            }
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) {
                    check(c.getGenericType(), "component " + c.getName());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(f.getGenericType(), "field " + f.getName());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    executable(c, "constructor");
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    check(m.getGenericReturnType(), "method " + m.getName());
                    executable(m, "method " + m.getName());
                }
            }
        }

        private void executable(Executable e, String where) {
            for (Type t : e.getGenericParameterTypes()) {
                check(t, where);
            }
            for (Type t : e.getGenericExceptionTypes()) {
                check(t, where);
            }
        }

        private static boolean visible(int modifiers) {
            return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
        }

        private void check(Type type, String where) {
            if (type == null) {
                return;
            }
            if (type instanceof Class<?> c) {
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                if (!c.isPrimitive() && !usable(c)) {
                    leaks.add(0, owner, owner + " " + where + ": " + c.getName() + " (module "
                            + (c.getModule().isNamed() ? c.getModule().getName() : "unnamed") + ")");
                }
            } else if (type instanceof ParameterizedType p) {
                check(p.getRawType(), where);
                for (Type a : p.getActualTypeArguments()) {
                    check(a, where);
                }
            } else if (type instanceof GenericArrayType g) {
                check(g.getGenericComponentType(), where);
            } else if (type instanceof WildcardType w) {
                for (Type b : w.getUpperBounds()) {
                    check(b, where);
                }
                for (Type b : w.getLowerBounds()) {
                    check(b, where);
                }
            } else if (type instanceof TypeVariable<?> v) {
                for (Type b : v.getBounds()) {
                    if (b != type) {
                        check(b instanceof ParameterizedType p ? p.getRawType() : b, where);
                    }
                }
            }
        }

        private boolean usable(Class<?> c) {
            Module other = c.getModule();
            if (other == module) {
                return module.isExported(c.getPackageName());
            }
            if (!other.isNamed()) {
                return false;
            }
            if (other.getName().startsWith("java.")) {
                return other.isExported(c.getPackageName());
            }
            return transitive.contains(other.getName()) && other.isExported(c.getPackageName());
        }
    }

    /**
     * The verdict of {@link ModuleApiChecker#check(Module, String...)}: findings {@link #leaks()} and
     * {@link #exportedForbidden()}. Immutable.
     */
    public static final class Report extends CheckReport {
        private final String module;
        private final int classes;
        private final Findings leaks;
        private final Findings exportedForbidden;

        Report(String module, int classes, Findings leaks, Findings exportedForbidden) {
            super("ModuleApiChecker", List.of(leaks, exportedForbidden));
            this.module = module;
            this.classes = classes;
            this.leaks = leaks;
            this.exportedForbidden = exportedForbidden;
        }

        /** {@return API signatures that name a type clients of the module cannot use} */
        public Findings leaks() {
            return leaks;
        }

        /** {@return internal packages that the module exports to everyone} */
        public Findings exportedForbidden() {
            return exportedForbidden;
        }

        @Override
        public String summary() {
            return "module " + module + ", " + classes + " classes" + ", " + leaks.count() + " leaks, "
                    + exportedForbidden.count() + " internal packages exported";
        }
    }
}
