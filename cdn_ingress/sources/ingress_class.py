"""Which Ingresses are the CDN's, as a controller decides: the stack's class name, an IngressClass
of the manifests whose ``spec.controller`` is ours, and the default IngressClass for Ingresses
that name no class (networking.k8s.io/v1 IngressClass; only classes in the manifests are known)."""

from __future__ import annotations

from cdn_ingress.manifests import Document
from cdn_ingress.model import Findings, mapping
from cdn_ingress.sources.fields import INGRESS_CLASS, unknown_fields

CONTROLLER = "cdn-ingress.io/edgio"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"


class ClassSelector:
    def __init__(self, documents: list[Document], ingress_class: str, findings: Findings) -> None:
        self.ingress_class = ingress_class
        classes = [d for d in documents if d.kind == "IngressClass" and d.name]
        self.ours = {ingress_class} | {d.name for d in classes if self._controller(d) == CONTROLLER}
        self.defaults = [d for d in classes
                         if mapping(d.metadata.get("annotations")).get(DEFAULT_CLASS_ANNOTATION) == "true"]
        for doc in classes:
            if doc.name in self.ours:
                self._check_class(doc, findings)

    @staticmethod
    def _controller(doc: Document) -> object:
        return mapping(doc.body.get("spec")).get("controller")

    def _check_class(self, doc: Document, findings: Findings) -> None:
        controller = self._controller(doc)
        if controller != CONTROLLER:
            findings.refuse(doc, "spec.controller", controller,
                            f"IngressClass {doc.name!r} is the stack's ingressClass, so its controller "
                            f"must be {CONTROLLER!r} (or choose another cdn-ingress:ingressClass)")
        for at, value in unknown_fields(doc.body, INGRESS_CLASS):
            findings.refuse(doc, at, value, f"not a field of IngressClass networking.k8s.io/v1; "
                            f"allowed: {sorted(INGRESS_CLASS)}")
        if "parameters" in mapping(doc.body.get("spec")):
            findings.refuse(doc, "spec.parameters", mapping(doc.body["spec"])["parameters"],
                            INGRESS_CLASS["spec.parameters"].how)

    def selects(self, doc: Document) -> bool:
        """True for an Ingress the CDN publishes."""
        spec = mapping(doc.body.get("spec"))
        annotations = mapping(doc.metadata.get("annotations"))
        # The legacy annotation, when set, takes precedence over the field (IngressSpec's documentation).
        named = annotations.get(LEGACY_CLASS_ANNOTATION, spec.get("ingressClassName"))
        if isinstance(named, str) and named in self.ours:
            return True
        if mapping(doc.metadata.get("labels")).get("cdn") == self.ingress_class:
            return True
        return named is None and len(self.defaults) == 1 and self.defaults[0].name in self.ours
