package io.phoenixchannels.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a repository manager and a user see of the published modules: complete metadata, a BOM that lists every
 * published module at the build's version, a module descriptor in each.
 */
class PublishedModulesTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theParentCarriesTheMetadataEveryModuleInherits() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    assertThat(text(parent, "url")).startsWith("https://");
    assertThat(text(child(child(parent, "licenses"), "license"), "name")).isEqualTo("Apache-2.0");
    assertThat(text(child(parent, "scm"), "connection")).startsWith("scm:git:");
    assertThat(text(child(child(parent, "developers"), "developer"), "name")).isNotBlank();
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
  }

  @Test
  void everyPublishedModuleIsDescribedHasAModuleDescriptorAndIsInTheBom() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    String version = text(parent, "version");
    Element bom = pom(ROOT.resolve("phoenix-channels-bom/pom.xml"));
    assertThat(text(bom, "version")).as("the BOM's version is the build's").isEqualTo(version);
    for (String field : List.of("name", "description", "url")) {
      assertThat(text(bom, field)).as("BOM " + field).isNotBlank();
    }
    assertThat(child(bom, "licenses")).isNotNull();
    assertThat(child(bom, "scm")).isNotNull();
    assertThat(child(bom, "developers")).isNotNull();

    List<String> managed = new ArrayList<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo("io.phoenixchannels");
      assertThat(text(dependency, "version")).isEqualTo(version);
      managed.add(text(dependency, "artifactId"));
    }

    List<String> published = new ArrayList<>();
    for (Element module : children(child(parent, "modules"), "module")) {
      Path directory = ROOT.resolve(module.getTextContent().trim());
      Element pom = pom(directory.resolve("pom.xml"));
      Element properties = child(pom, "properties");
      boolean skipsDeploy = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
      if (skipsDeploy || "pom".equals(text(pom, "packaging"))) {
        continue;
      }
      String artifactId = text(pom, "artifactId");
      published.add(artifactId);
      assertThat(text(pom, "name")).as(artifactId + " name").isNotBlank();
      assertThat(text(pom, "description")).as(artifactId + " description").isNotBlank();
      assertThat(directory.resolve("src/main/java/module-info.java")).as(artifactId + " module descriptor")
          .exists();
    }
    assertThat(published).contains("phoenix-channels", "phoenix-channels-okhttp");
    assertThat(managed).as("add every published module to phoenix-channels-bom").containsAll(published);
  }

  private static Element pom(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  /** The first child element with this name, or {@code null}. */
  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent().trim();
  }
}
