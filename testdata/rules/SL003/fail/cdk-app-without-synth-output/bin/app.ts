#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { ScoreStack } from '../lib/stack';

const app = new cdk.App();
new ScoreStack(app, 'ScoreStack', {});
