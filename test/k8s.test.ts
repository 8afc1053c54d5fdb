import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret, type ISecret } from 'kubernetes-models/v1';
import { ScaledObject, type IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { DEFAULT_PREFIX, parseConfig, QUEUES } from '@newsflow/core';
import { SERVICE_NAMES } from '@newsflow/cli';

/**
 * The Kubernetes manifests, checked offline: every document against the Kubernetes and KEDA schemas
 * (kubernetes-models), then what the workers need from them (probes on the health server, requests, the Secret,
 * one scaler per queue on the list BullMQ keeps its waiting jobs in).
 */
const BASE = new URL('../infra/k8s/base/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, BASE), 'utf8');

interface Kustomization {
  resources: string[];
  configMapGenerator: { name: string; files: string[] }[];
}
const kustomization = parse(read('kustomization.yaml')) as Kustomization;
interface Manifest {
  apiVersion: string;
  kind: string;
}
const documents = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(file)).map((document) => ({ file, object: document.toJS() as Manifest })),
);
const byKind = <T>(kind: string): T[] =>
  documents.filter(({ object }) => object.kind === kind).map(({ object }) => object as T);

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Secret': Secret,
  'v1 ConfigMap': ConfigMap,
  'keda.sh/v1alpha1 ScaledObject': ScaledObject,
};

const QUEUE_OF_WORKER: Record<string, string> = {
  'feed-fetcher': QUEUES.feedFetch,
  scraper: QUEUES.articleScrape,
  deduper: QUEUES.articleDedup,
  storage: QUEUES.articleStore,
};

describe('infra/k8s/base', () => {
  it('holds only documents that pass the Kubernetes and KEDA schemas', () => {
    expect(documents.length).toBe(kustomization.resources.length);
    for (const { file, object } of documents) {
      const Model = MODELS[`${object.apiVersion} ${object.kind}`];
      expect(Model, `${file}: ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object as never).validate(), file).not.toThrow();
    }
    // A broken document fails the same check: the schemas are really applied.
    const broken = structuredClone(byKind<IDeployment>('Deployment')[0]!);
    Object.assign(broken.spec!.template.spec!.containers[0]!.ports![0]!, { containerPort: 'http' });
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it('runs every worker with probes on its health server, resource requests and the connection Secret', () => {
    const secret = byKind<ISecret>('Secret')[0]!;
    expect(Object.keys(secret.stringData!)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL']));
    const deployments = byKind<IDeployment>('Deployment');
    expect(deployments.map((deployment) => deployment.spec!.template.spec!.containers[0]!.args).sort()).toEqual(
      SERVICE_NAMES.map((name) => ['worker', name]).sort(),
    );
    for (const deployment of deployments) {
      const container = deployment.spec!.template.spec!.containers[0]!;
      const port = Number(container.env!.find((entry) => entry.name === 'NEWSFLOW_HTTP_PORT')!.value);
      const named = container.ports!.find((entry) => entry.name === container.livenessProbe!.httpGet!.port);
      expect(named?.containerPort, deployment.metadata!.name).toBe(port);
      expect(container.livenessProbe!.httpGet!.path).toBe('/healthz');
      expect(container.readinessProbe!.httpGet!.path).toBe('/readyz');
      expect(container.resources!.requests!.cpu).toBeDefined();
      expect(container.resources!.requests!.memory).toBeDefined();
      expect(container.envFrom).toContainEqual({ secretRef: { name: secret.metadata!.name } });
      expect(deployment.spec!.selector.matchLabels).toEqual(deployment.spec!.template.metadata!.labels);
    }
  });

  it("scales each queue worker with KEDA on its queue's waiting list", () => {
    const scaled = byKind<IScaledObject>('ScaledObject');
    expect(scaled.map((object) => object.spec.scaleTargetRef.name).sort()).toEqual(
      Object.keys(QUEUE_OF_WORKER)
        .map((worker) => `newsflow-${worker}`)
        .sort(),
    );
    const deploymentNames = byKind<IDeployment>('Deployment').map((deployment) => deployment.metadata!.name);
    for (const object of scaled) {
      const worker = object.spec.scaleTargetRef.name.replace(/^newsflow-/, '');
      expect(deploymentNames).toContain(object.spec.scaleTargetRef.name);
      const trigger = object.spec.triggers[0]!;
      expect(trigger.type).toBe('redis');
      expect(trigger.metadata.listName).toBe(`${DEFAULT_PREFIX}:${QUEUE_OF_WORKER[worker]}:wait`);
      expect(Number(trigger.metadata.listLength)).toBeGreaterThan(0);
    }
  });

  it('ships a feed list the workers accept', () => {
    for (const generator of kustomization.configMapGenerator)
      for (const file of generator.files) expect(() => parseConfig(read(file), file)).not.toThrow();
  });
});
