package io.edgeway.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Plugin authors read the SPI's Javadoc, so every public type and every public or protected member
 * has a doc comment (the javadoc build checks the comments' syntax and references; this checks that
 * they exist, which doclint can only do together with demanding @param and @return everywhere).
 */
class SpiJavadocTest {

  @Test
  void everyPublicTypeAndMemberIsDocumented() throws IOException {
    Path sources = Path.of("src/main/java/io/edgeway/spi");
    List<Path> files;
    try (Stream<Path> walk = Files.list(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> undocumented = new ArrayList<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      JavacTask task = (JavacTask) javac.getTask(null, fm, null, List.of("-proc:none"), null,
          fm.getJavaFileObjectsFromPaths(files));
      DocTrees docs = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree node, Void unused) {
            check(node.getModifiers(), node.getSimpleName().toString());
            return super.visitClass(node, unused);
          }

          @Override
          public Void visitMethod(MethodTree node, Void unused) {
            if (!isRecordOrEnumMember()) {
              check(node.getModifiers(), node.getName() + "()");
            }
            return null; // not into bodies
          }

          @Override
          public Void visitVariable(VariableTree node, Void unused) {
            if (getCurrentPath().getParentPath().getLeaf() instanceof ClassTree && !isRecordOrEnumMember()) {
              check(node.getModifiers(), node.getName().toString());
            }
            return null;
          }

          private boolean isRecordOrEnumMember() {
            // Record components and enum constants are documented on the type (@param) or by name.
            Tree owner = getCurrentPath().getParentPath().getLeaf();
            return owner.getKind() == Tree.Kind.ENUM;
          }

          private void check(ModifiersTree modifiers, String name) {
            boolean inInterface = getCurrentPath().getParentPath().getLeaf().getKind() == Tree.Kind.INTERFACE;
            boolean exposed = modifiers.getFlags().contains(Modifier.PUBLIC)
                || modifiers.getFlags().contains(Modifier.PROTECTED)
                || (inInterface && !modifiers.getFlags().contains(Modifier.PRIVATE));
            boolean generated = modifiers.getAnnotations().stream()
                .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
            if (!exposed || generated) {
              return;
            }
            TreePath path = getCurrentPath();
            DocCommentTree comment = docs.getDocCommentTree(path);
            if (comment == null || comment.getFullBody().isEmpty() && comment.getBlockTags().isEmpty()) {
              long line = unit.getLineMap().getLineNumber(docs.getSourcePositions().getStartPosition(unit, path.getLeaf()));
              undocumented.add(unit.getSourceFile().getName().replaceAll(".*/", "") + ":" + line + ": " + name);
            }
          }
        }.scan(unit, null);
      }
    }
    assertThat(undocumented).as("public SPI types and members without Javadoc").isEmpty();
  }
}
