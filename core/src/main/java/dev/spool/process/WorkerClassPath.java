package dev.spool.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a worker JVM can load, seen from the parent: {@code java.class.path}, plus the directories and jars of every
 * {@link URLClassLoader} in the application's class loader chains (the pool's class loader and the building thread's
 * context class loader, each up to the system class loader). That covers {@code mvn exec:java}, Spring DevTools'
 * restart class loader, and test runners that load classes from a URL class loader of their own.
 *
 * <p>{@link #reaches(Class)} tells whether a class the parent is about to send can be loaded in a worker: its class
 * loader is one whose entries the worker has (or the JDK's, or Spring Boot's launcher loader, which the worker gets
 * through its own launcher), or the jar or directory it came from is on the worker's class path. A class from
 * anywhere else (a loader that builds classes in memory, a servlet container's web-app loader that exposes no URLs)
 * cannot be sent, and submit says so instead of letting the worker fail to find it.
 */
final class WorkerClassPath {
    private final List<String> loaderEntries;
    private final Set<String> allEntries;
    private final Set<ClassLoader> covered = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ClassValue<Boolean> reachable = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return computeReaches(type);
        }
    };

    private WorkerClassPath(List<String> loaderEntries, Set<String> allEntries) {
        this.loaderEntries = List.copyOf(loaderEntries);
        this.allEntries = allEntries;
    }

    /**
     * @param classPath the parent's {@code java.class.path}
     * @param userDir   for relative class path entries
     * @param loaders   the class loaders whose chains the application's classes come from
     */
    public static WorkerClassPath of(String classPath, Path userDir, ClassLoader... loaders) {
        Set<String> all = new LinkedHashSet<>(WorkerCommand.absolutize(classPath, userDir));
        List<String> extra = new ArrayList<>();
        Set<ClassLoader> covered = Collections.newSetFromMap(new IdentityHashMap<>());
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (ClassLoader l = system; l != null; l = l.getParent()) {
            covered.add(l); // java.class.path, and the platform loader's JDK modules
        }
        for (ClassLoader start : loaders) {
            for (ClassLoader l = start; l != null && !covered.contains(l); l = l.getParent()) {
                String name = l.getClass().getName();
                if (name.equals(WorkerCommand.BOOT_LOADER) || name.equals(WorkerCommand.LEGACY_BOOT_LOADER)) {
                    covered.add(l); // the worker starts through Boot's launcher over the same jar
                } else if (l instanceof URLClassLoader urls && addFileUrls(urls, all, extra)) {
                    covered.add(l);
                }
            }
        }
        WorkerClassPath result = new WorkerClassPath(extra, all);
        result.covered.addAll(covered);
        return result;
    }

    /** Adds the loader's file URLs; @return true if every URL of it was a file, so the worker sees all it sees. */
    private static boolean addFileUrls(URLClassLoader loader, Set<String> all, List<String> extra) {
        boolean everything = true;
        // the chain is walked child first; a parent's entries must come first on the worker's class path
        List<String> mine = new ArrayList<>();
        for (URL url : loader.getURLs()) {
            String path = filePath(url);
            if (path == null) {
                everything = false;
            } else if (all.add(path)) {
                mine.add(path);
            }
        }
        extra.addAll(0, mine);
        return everything;
    }

    private static String filePath(URL url) {
        if (url == null || !"file".equalsIgnoreCase(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize().toString();
        } catch (URISyntaxException | IllegalArgumentException odd) {
            return null;
        }
    }

    /** @return the entries to add after {@code java.class.path}: those of the URL class loaders, parents first */
    public List<String> loaderEntries() {
        return loaderEntries;
    }

    /** @return true if a worker can load {@code type} (arrays: their element type) */
    public boolean reaches(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        return element.isPrimitive() || reachable.get(element);
    }

    private boolean computeReaches(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || covered.contains(loader)) {
            return true;
        }
        ProtectionDomain domain = type.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        String path = source == null ? null : filePath(source.getLocation());
        return path != null && (allEntries.contains(path) || allEntries.contains(path + File.separator));
    }
}
