"""The deployment descriptions, validated offline: Compose against the Compose Specification,
Kubernetes manifests against Kubernetes' schemas, and both against the services and topics."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tothon_shared.messaging.provision import wanted_topics
from tothon_shared.runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = ("registry", "communication", "feedback", "funds")
CRD_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Kustomization"}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, doc)
        for path in sorted(K8S.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def test_compose_file_follows_the_compose_specification() -> None:
    check = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(check), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_an_api_and_a_worker_per_service_beside_kafka_and_postgres() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    names = set(compose["services"])
    assert {"kafka", "postgres", "otel-collector", "topics"} <= names
    for service in SERVICES:
        assert {f"{service}-api", f"{service}-worker"} <= names
        assert compose["services"][f"{service}-worker"]["command"] == ["worker"]


@pytest.mark.parametrize(
    ("name", "doc"),
    [d for d in _documents() if d[1]["kind"] not in CRD_KINDS],
    ids=lambda v: v if isinstance(v, str) else f"{v['kind']}/{v['metadata']['name']}",
)
def test_kubernetes_resources_are_valid(name: str, doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, "1.33.0", strict=True)


def test_every_service_has_probed_and_resourced_api_and_worker_deployments() -> None:
    deployments = {d["metadata"]["name"]: d for _, d in _documents() if d["kind"] == "Deployment"}
    for service in SERVICES:
        for role in ("api", "worker"):
            [container] = deployments[f"{service}-{role}"]["spec"]["template"]["spec"]["containers"]
            assert container["livenessProbe"]
            assert container["readinessProbe"]
            assert container["resources"]["requests"]
            secret_refs = [e for e in container.get("env", []) if "valueFrom" in e]
            assert secret_refs, f"{service}-{role} takes its database password from a Secret"
    autoscaled = {
        d["spec"]["scaleTargetRef"]["name"] for _, d in _documents() if d["kind"] == "HorizontalPodAutoscaler"
    }
    assert autoscaled == {f"{s}-{r}" for s in SERVICES for r in ("api", "worker")}


def test_every_integration_topic_and_dead_letter_topic_is_declared_for_strimzi() -> None:
    declared = {d["spec"]["topicName"] for _, d in _documents() if d["kind"] == "KafkaTopic"}
    assert declared == set(wanted_topics(Settings(topic_prefix="tothon")))
    for _, doc in _documents():
        if doc["kind"] == "KafkaTopic":
            assert doc["spec"]["config"]["retention.ms"] == -1


def test_each_service_has_its_own_postgres_cluster() -> None:
    clusters = {d["metadata"]["name"]: d for _, d in _documents() if d["kind"] == "Cluster"}
    assert set(clusters) == {f"pg-{s}" for s in SERVICES}
    for service in SERVICES:
        database = clusters[f"pg-{service}"]["spec"]["bootstrap"]["initdb"]["database"]
        assert database == Settings(pg_database_prefix="tothon").database_name(service)


def test_the_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert set(kustomization["resources"]) == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


def test_only_the_ingress_and_the_suite_reach_the_apis_whose_forwarded_headers_are_believed() -> None:
    """TOTHON_TRUSTED_PROXIES believes X-Forwarded-For from the pod network; a network policy
    must then keep every other workload from reaching an API, or any pod could spoof a client."""
    documents = [doc for _name, doc in _documents()]
    policies = [doc for doc in documents if doc["kind"] == "NetworkPolicy"]
    apis = [
        doc
        for doc in documents
        if doc["kind"] == "Deployment" and doc["metadata"]["labels"]["app.kubernetes.io/component"] == "api"
    ]
    assert {doc["metadata"]["labels"]["app.kubernetes.io/name"] for doc in apis} == set(SERVICES)
    for api in apis:
        labels = api["spec"]["template"]["metadata"]["labels"]
        covering = [
            policy
            for policy in policies
            if policy["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
            and "Ingress" in policy["spec"]["policyTypes"]
        ]
        assert covering, f"no network policy guards {api['metadata']['name']}"
        for policy in covering:
            for rule in policy["spec"]["ingress"]:
                for peer in rule["from"]:
                    assert "ipBlock" not in peer, "an address block could let any client spoof its address"
                    if "namespaceSelector" in peer:
                        assert peer["namespaceSelector"]["matchLabels"] == {
                            "kubernetes.io/metadata.name": "ingress-nginx"
                        }
                    else:
                        assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/part-of": "tothon"}


def _seals_personal_data(service: str) -> bool:
    definition = importlib.import_module(f"tothon_{service}.bootstrap").DEFINITION
    application = definition.application({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        return bool(getattr(application, "stores_personal_data", False))
    finally:
        application.close()


def test_the_services_that_seal_personal_data_and_only_they_get_the_master_key() -> None:
    # A service storing personal data refuses to start without the key (the demo key is refused
    # outside the embedded mode), so a deployment that leaves it out cannot run that service.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    deployments = {d["metadata"]["name"]: d for _, d in _documents() if d["kind"] == "Deployment"}
    sealing = {s for s in SERVICES if _seals_personal_data(s)}
    assert {"registry", "communication", "funds"} <= sealing
    for service in SERVICES:
        for role in ("api", "worker"):
            assert (
                "TOTHON_PERSONAL_DATA_KEY" in compose["services"][f"{service}-{role}"]["environment"]
            ) == (service in sealing), f"compose {service}-{role}"
            [container] = deployments[f"{service}-{role}"]["spec"]["template"]["spec"]["containers"]
            named = {e["name"] for e in container.get("env", [])}
            assert ("TOTHON_PERSONAL_DATA_KEY" in named) == (service in sealing), f"k8s {service}-{role}"
